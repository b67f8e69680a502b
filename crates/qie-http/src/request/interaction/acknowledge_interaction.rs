use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::route::Route;
use qie_model::id::InteractionId;
use qie_model::interaction::InteractionAckCode;
use qie_model::json::RawJson;
use reqwest::Method;
use serde::Serialize;

pub(crate) const ROUTE: Route = Route::new(Method::PUT, "/interactions/{interaction_id}");

#[derive(Serialize)]
struct AckBody {
    code: InteractionAckCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<RawJson>,
}

/// `PUT /interactions/{interaction_id}`: acknowledges a button or menu interaction.
///
/// Acknowledge within about 5 seconds, once per interaction; until then the user's client
/// shows a spinner. Only types 11 (button) and 12 (C2C quick menu) need it; acknowledging
/// others is harmless.
#[must_use = "requests do nothing unless awaited"]
#[derive(Debug)]
pub struct AcknowledgeInteraction<'a> {
    client: &'a Client,
    interaction_id: InteractionId,
    code: Option<InteractionAckCode>,
    data: Option<RawJson>,
}

impl AcknowledgeInteraction<'_> {
    /// Sets the result shown to the user (default success).
    pub fn code(mut self, code: InteractionAckCode) -> Self {
        self.code = Some(code);
        self
    }

    /// Adds a `data` member (undocumented; configuration interactions 2001/2002 send one).
    pub fn data(mut self, data: RawJson) -> Self {
        self.data = Some(data);
        self
    }

    fn try_into_request(self) -> Result<Request, Error> {
        let request = Request::new(ROUTE, &[self.interaction_id.as_str()])?;

        request.json(&AckBody {
            code: self.code.unwrap_or(InteractionAckCode::Success),
            data: self.data,
        })
    }
}

into_future!(AcknowledgeInteraction, (), crate::response::empty);

impl Client {
    /// Acknowledges an INTERACTION_CREATE (`interaction_id` is its `d.id`); the code defaults to success.
    ///
    /// `PUT /interactions/{interaction_id}`
    pub fn acknowledge_interaction(
        &self,
        interaction_id: InteractionId,
    ) -> AcknowledgeInteraction<'_> {
        AcknowledgeInteraction {
            client: self,
            interaction_id,
            code: None,
            data: None,
        }
    }
}
