//! Voice channels: playback control, mic and members.

pub(crate) mod control_audio;
pub(crate) mod get_voice_members;
pub(crate) mod join_mic;
pub(crate) mod leave_mic;

pub use self::control_audio::ControlAudio;
pub use self::get_voice_members::GetVoiceMembers;
pub use self::join_mic::JoinMic;
pub use self::leave_mic::LeaveMic;
