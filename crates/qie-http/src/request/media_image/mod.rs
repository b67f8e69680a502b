//! The bot's image library (`/v2/media-images`).

pub(crate) mod complete_media_image;
pub(crate) mod delete_media_image;
pub(crate) mod get_media_images;
pub(crate) mod prepare_media_image;
pub(crate) mod upload_media_image;

pub use self::complete_media_image::CompleteMediaImage;
pub use self::delete_media_image::DeleteMediaImage;
pub use self::get_media_images::GetMediaImages;
pub use self::prepare_media_image::PrepareMediaImage;
