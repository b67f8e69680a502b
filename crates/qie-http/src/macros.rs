//! Macros shared by the request builders.

/// Implements `IntoFuture` for a request builder.
///
/// The builder must have a `client: &'a Client` field and a
/// `fn try_into_request(self) -> Result<Request, Error>` method; `$decode` turns the success
/// response into `$output` (`crate::response::json` or `crate::response::empty`).
macro_rules! into_future {
    ($builder:ident, $output:ty, $decode:expr) => {
        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::std::result::Result<$output, $crate::Error>;
            type IntoFuture = $crate::ResponseFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                let client = self.client.clone();
                let request = self.try_into_request();

                $crate::ResponseFuture::new(client, request, $decode)
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use into_future;
