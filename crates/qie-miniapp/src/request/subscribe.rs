//! `POST /api/json/subscribe/SendSubscriptionMessage`: send a subscription message.

use std::future::IntoFuture;

use serde_json::{Map, Value, json};

use super::ResponseFuture;
use crate::client::{Call, Client, Endpoint};
use crate::error::Error;
use crate::id::{AppId, OpenId, TemplateId};

/// The request of [`Client::send_subscribe_message`]; await it.
///
/// A grant allows one message. `data` must have exactly as many keys as the template has
/// keywords (40035 otherwise).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: qie_miniapp::Client) -> Result<(), qie_miniapp::Error> {
/// use qie_miniapp::{OpenId, TemplateId};
///
/// client
///     .send_subscribe_message(
///         OpenId::new("A3F9C1D27B6E4F0A9D8C7B6A5F4E3D2C"),
///         TemplateId::new("0f3e4b2a9c8d7e6f5a4b3c2d1e0f9a8b"),
///     )
///     .page("pages/order/order?id=42")
///     .data("keyword1", "订单已发货")
///     .data("keyword2", "2026-01-01 12:00")
///     .emphasis_keyword("keyword1.DATA")
///     .await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "requests do nothing until awaited"]
pub struct SendSubscribeMessage<'a> {
    client: &'a Client,
    touser: OpenId,
    template_id: TemplateId,
    page: Option<String>,
    data: Map<String, Value>,
    emphasis_keyword: Option<String>,
    oac_appid: Option<AppId>,
}

impl<'a> SendSubscribeMessage<'a> {
    pub(crate) fn new(client: &'a Client, touser: OpenId, template_id: TemplateId) -> Self {
        Self {
            client,
            touser,
            template_id,
            page: None,
            data: Map::new(),
            emphasis_keyword: None,
            oac_appid: None,
        }
    }

    /// Page opened when the user taps the message, query allowed (`index?foo=bar`); no jump
    /// when unset.
    pub fn page(mut self, page: impl Into<String>) -> Self {
        self.page = Some(page.into());
        self
    }

    /// Sets one keyword of the template (`keyword1` …).
    pub fn data(mut self, keyword: impl Into<String>, value: impl Into<String>) -> Self {
        self.data
            .insert(keyword.into(), json!({ "value": value.into() }));
        self
    }

    /// The keyword shown enlarged, for example `keyword1.DATA`.
    pub fn emphasis_keyword(mut self, keyword: impl Into<String>) -> Self {
        self.emphasis_keyword = Some(keyword.into());
        self
    }

    /// Delivers through this bound QQ official account (公众号) instead.
    pub fn oac_appid(mut self, appid: AppId) -> Self {
        self.oac_appid = Some(appid);
        self
    }
}

impl<'a> IntoFuture for SendSubscribeMessage<'a> {
    type Output = Result<(), Error>;
    type IntoFuture = ResponseFuture<'a, ()>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.touser.as_str().is_empty() {
                return Err(Error::invalid_input(
                    "touser is empty; pass the user's openid",
                ));
            }
            if self.template_id.as_str().is_empty() {
                return Err(Error::invalid_input(
                    "template_id is empty; copy it from the subscription template list",
                ));
            }

            let inner = self.client.inner();
            let mut body = Map::new();
            body.insert("appid".to_owned(), json!(inner.appid.as_str()));
            body.insert("touser".to_owned(), json!(self.touser.as_str()));
            body.insert("template_id".to_owned(), json!(self.template_id.as_str()));
            if let Some(page) = self.page {
                body.insert("page".to_owned(), json!(page));
            }
            if !self.data.is_empty() {
                body.insert("data".to_owned(), Value::Object(self.data));
            }
            if let Some(keyword) = self.emphasis_keyword {
                body.insert("emphasis_keyword".to_owned(), json!(keyword));
            }
            if let Some(oac_appid) = self.oac_appid {
                body.insert("oac_appid".to_owned(), json!(oac_appid.as_str()));
            }

            let call = Call::new(Endpoint::SendSubscriptionMessage).json(Value::Object(body));
            inner.send_authorized(&call).await?.into_object()?;
            tracing::debug!(touser = %self.touser, "subscription message sent");

            Ok(())
        })
    }
}
