use crate::client::Client;
use crate::error::Error;
use crate::model::{AudioControl, AudioStatus};
use crate::request::Request;
use crate::route::Route;
use qie_model::id::ChannelId;
use reqwest::Method;

pub(crate) const ROUTE: Route = Route::new(Method::POST, "/channels/{channel_id}/audio");

/// `POST /channels/{channel_id}/audio`: starts, pauses, resumes or stops playback in a voice channel (audio bots).
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct ControlAudio<'a> {
    client: &'a Client,
    channel_id: ChannelId,
    control: AudioControl,
}

impl ControlAudio<'_> {
    fn try_into_request(self) -> Result<Request, Error> {
        if self.control.status == AudioStatus::Start && self.control.audio_url.is_none() {
            return Err(Error::validation(
                "starting playback needs audio_url: use AudioControl::start",
            ));
        }

        let request = Request::new(ROUTE, &[self.channel_id.as_str()])?;

        request.json(&self.control)
    }
}

into_future!(ControlAudio, (), crate::response::empty);

impl Client {
    /// Controls playback in a voice channel (bots with the audio permission only).
    ///
    /// `POST /channels/{channel_id}/audio`
    pub fn control_audio(&self, channel_id: ChannelId, control: AudioControl) -> ControlAudio<'_> {
        ControlAudio {
            client: self,
            channel_id,
            control,
        }
    }
}
