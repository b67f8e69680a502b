//! `POST /api/json/template/send`: the legacy form_id template message.

use std::future::IntoFuture;

use serde_json::{Map, Value, json};

use super::ResponseFuture;
use crate::client::{Call, Client, Endpoint};
use crate::error::Error;
use crate::id::{OpenId, TemplateId};

/// The request of [`Client::send_template_message`]; await it.
///
/// A `formId` from a `<form report-submit>` submission is usable once within 7 days; a payment's
/// `prepay_id` for 3 messages within 7 days.
///
/// NOTE: WeChat retired its equivalent, and whether QQ still honours this API is unconfirmed.
#[must_use = "requests do nothing until awaited"]
pub struct SendTemplateMessage<'a> {
    client: &'a Client,
    touser: OpenId,
    template_id: TemplateId,
    form_id: String,
    page: Option<String>,
    data: Map<String, Value>,
    emphasis_keyword: Option<String>,
}

impl<'a> SendTemplateMessage<'a> {
    pub(crate) fn new(
        client: &'a Client,
        touser: OpenId,
        template_id: TemplateId,
        form_id: String,
    ) -> Self {
        Self {
            client,
            touser,
            template_id,
            form_id,
            page: None,
            data: Map::new(),
            emphasis_keyword: None,
        }
    }

    /// Page opened when the user taps the message.
    pub fn page(mut self, page: impl Into<String>) -> Self {
        self.page = Some(page.into());
        self
    }

    /// Sets one keyword of the template.
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
}

impl<'a> IntoFuture for SendTemplateMessage<'a> {
    type Output = Result<(), Error>;
    type IntoFuture = ResponseFuture<'a, ()>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.form_id.is_empty() {
                return Err(Error::invalid_input(
                    "form_id is empty; pass the formId of a <form report-submit> submission",
                ));
            }

            let inner = self.client.inner();
            let mut body = Map::new();
            body.insert("appid".to_owned(), json!(inner.appid.as_str()));
            body.insert("touser".to_owned(), json!(self.touser.as_str()));
            body.insert("template_id".to_owned(), json!(self.template_id.as_str()));
            body.insert("form_id".to_owned(), json!(self.form_id));
            if let Some(page) = self.page {
                body.insert("page".to_owned(), json!(page));
            }
            if !self.data.is_empty() {
                body.insert("data".to_owned(), Value::Object(self.data));
            }
            if let Some(keyword) = self.emphasis_keyword {
                body.insert("emphasis_keyword".to_owned(), json!(keyword));
            }

            let call = Call::new(Endpoint::TemplateSend).json(Value::Object(body));
            inner.send_authorized(&call).await?.into_object()?;

            Ok(())
        })
    }
}
