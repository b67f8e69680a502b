//! Interaction acknowledgement (button and menu callbacks).

pub(crate) mod acknowledge_interaction;

pub use self::acknowledge_interaction::AcknowledgeInteraction;
