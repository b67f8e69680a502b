//! The list of endpoints, checked against docs/http-coverage.md by the coverage test.

use crate::client::Client;
use crate::route::Route;
use crate::token::TokenSource;

/// One endpoint and the method that calls it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Endpoint {
    /// Method and path template.
    pub route: &'static Route,
    /// The calling method, as `Client::name` or `TokenSource::name`.
    pub function: &'static str,
}

macro_rules! endpoints {
    ($($route:path => $owner:ident::$function:ident,)*) => {
        /// Every endpoint this crate calls, with the method that calls it.
        pub static ENDPOINTS: &[Endpoint] = &[
            $(Endpoint {
                route: &$route,
                function: concat!(stringify!($owner), "::", stringify!($function)),
            },)*
        ];

        // Does not compile when a listed method does not exist.
        #[allow(dead_code)]
        fn listed_methods_exist() {
            $(let _ = $owner::$function;)*
        }
    };
}

endpoints! {
    crate::token::ROUTE => TokenSource::token,
    super::announce::create_channel_announce::ROUTE => Client::create_channel_announce,
    super::announce::create_guild_announce::ROUTE => Client::create_guild_announce,
    super::announce::delete_channel_announce::ROUTE => Client::delete_channel_announce,
    super::announce::delete_guild_announce::ROUTE => Client::delete_guild_announce,
    super::api_permission::create_api_permission_demand::ROUTE => Client::create_api_permission_demand,
    super::api_permission::get_api_permissions::ROUTE => Client::get_api_permissions,
    super::audio::control_audio::ROUTE => Client::control_audio,
    super::audio::get_voice_members::ROUTE => Client::get_voice_members,
    super::audio::join_mic::ROUTE => Client::join_mic,
    super::audio::leave_mic::ROUTE => Client::leave_mic,
    super::channel::create_channel::ROUTE => Client::create_channel,
    super::channel::delete_channel::ROUTE => Client::delete_channel,
    super::channel::get_channel::ROUTE => Client::get_channel,
    super::channel::get_channel_online_nums::ROUTE => Client::get_channel_online_nums,
    super::channel::get_guild_channels::ROUTE => Client::get_guild_channels,
    super::channel::update_channel::ROUTE => Client::update_channel,
    super::direct_message::create_dm_session::ROUTE => Client::create_dm_session,
    super::direct_message::create_dm_setting_guide::ROUTE => Client::create_dm_setting_guide,
    super::direct_message::delete_direct_message::ROUTE => Client::delete_direct_message,
    super::file::create_c2c_file::ROUTE => Client::create_c2c_file,
    super::file::create_group_file::ROUTE => Client::create_group_file,
    super::file::finish_c2c_upload_part::ROUTE => Client::finish_c2c_upload_part,
    super::file::finish_group_upload_part::ROUTE => Client::finish_group_upload_part,
    super::file::prepare_c2c_upload::ROUTE => Client::prepare_c2c_upload,
    super::file::prepare_group_upload::ROUTE => Client::prepare_group_upload,
    super::file::upload_part::ROUTE => Client::upload_part,
    super::forum::create_thread::ROUTE => Client::create_thread,
    super::forum::delete_thread::ROUTE => Client::delete_thread,
    super::forum::get_thread::ROUTE => Client::get_thread,
    super::forum::get_threads::ROUTE => Client::get_threads,
    super::gateway::get_gateway::ROUTE => Client::get_gateway,
    super::gateway::get_gateway_bot::ROUTE => Client::get_gateway_bot,
    super::group::create_join_approval_strategy::ROUTE => Client::create_join_approval_strategy,
    super::group::delete_join_approval_strategy::ROUTE => Client::delete_join_approval_strategy,
    super::group::execute_join_approval_strategy::ROUTE => Client::execute_join_approval_strategy,
    super::group::get_group_bot_state::ROUTE => Client::get_group_bot_state,
    super::group::get_group_info::ROUTE => Client::get_group_info,
    super::group::get_group_join_requests::ROUTE => Client::get_group_join_requests,
    super::group::get_group_member::ROUTE => Client::get_group_member,
    super::group::get_group_member_blacklist::ROUTE => Client::get_group_member_blacklist,
    super::group::get_group_members::ROUTE => Client::get_group_members,
    super::group::get_group_members_by_index::ROUTE => Client::get_group_members_by_index,
    super::group::get_group_mute_setting::ROUTE => Client::get_group_mute_setting,
    super::group::get_join_approval_strategies::ROUTE => Client::get_join_approval_strategies,
    super::group::remove_group_members::ROUTE => Client::remove_group_members,
    super::group::review_group_join_request::ROUTE => Client::review_group_join_request,
    super::group::update_group_member_blacklist::ROUTE => Client::update_group_member_blacklist,
    super::group::update_group_member_mutes::ROUTE => Client::update_group_member_mutes,
    super::group::update_join_approval_strategy::ROUTE => Client::update_join_approval_strategy,
    super::group::update_join_approval_whitelist::ROUTE => Client::update_join_approval_whitelist,
    super::guild::get_guild::ROUTE => Client::get_guild,
    super::guild::get_guild_message_setting::ROUTE => Client::get_guild_message_setting,
    super::interaction::acknowledge_interaction::ROUTE => Client::acknowledge_interaction,
    super::media_image::complete_media_image::ROUTE => Client::complete_media_image,
    super::media_image::delete_media_image::ROUTE => Client::delete_media_image,
    super::media_image::get_media_images::ROUTE => Client::get_media_images,
    super::media_image::prepare_media_image::ROUTE => Client::prepare_media_image,
    super::member::get_guild_member::ROUTE => Client::get_guild_member,
    super::member::get_guild_members::ROUTE => Client::get_guild_members,
    super::member::get_role_members::ROUTE => Client::get_role_members,
    super::member::remove_guild_member::ROUTE => Client::remove_guild_member,
    super::menu::get_menu::ROUTE => Client::get_menu,
    super::menu::update_menu::ROUTE => Client::update_menu,
    super::message::create_c2c_stream_message::ROUTE => Client::create_c2c_stream_message,
    super::message::create_channel_setting_guide::ROUTE => Client::create_channel_setting_guide,
    super::message::delete_c2c_message::ROUTE => Client::delete_c2c_message,
    super::message::delete_group_message::ROUTE => Client::delete_group_message,
    super::message::delete_message::ROUTE => Client::delete_message,
    super::message::get_channel_messages::ROUTE => Client::get_channel_messages,
    super::message::get_message::ROUTE => Client::get_message,
    super::message::send::C2C_ROUTE => Client::create_c2c_message,
    super::message::send::CHANNEL_ROUTE => Client::create_message,
    super::message::send::DM_ROUTE => Client::create_direct_message,
    super::message::send::GROUP_ROUTE => Client::create_group_message,
    super::message::update_message::ROUTE => Client::update_message,
    super::mute::mute_guild::ROUTE => Client::mute_guild,
    super::mute::mute_guild::ROUTE => Client::mute_guild_members,
    super::mute::mute_guild_member::ROUTE => Client::mute_guild_member,
    super::panel::create_panel::ROUTE => Client::create_panel,
    super::panel::delete_panel::ROUTE => Client::delete_panel,
    super::panel::get_panel::ROUTE => Client::get_panel,
    super::panel::get_panels::ROUTE => Client::get_panels,
    super::panel::update_panel::ROUTE => Client::update_panel,
    super::panel::update_panel_target::ROUTE => Client::update_panel_target,
    super::permission::get_channel_member_permissions::ROUTE => Client::get_channel_member_permissions,
    super::permission::get_channel_role_permissions::ROUTE => Client::get_channel_role_permissions,
    super::permission::update_channel_member_permissions::ROUTE => Client::update_channel_member_permissions,
    super::permission::update_channel_role_permissions::ROUTE => Client::update_channel_role_permissions,
    super::pin::create_pin::ROUTE => Client::create_pin,
    super::pin::delete_pin::ROUTE => Client::delete_pin,
    super::pin::get_pins::ROUTE => Client::get_pins,
    super::reaction::create_reaction::ROUTE => Client::create_reaction,
    super::reaction::delete_reaction::ROUTE => Client::delete_reaction,
    super::reaction::get_reaction_users::ROUTE => Client::get_reaction_users,
    super::role::add_guild_member_role::ROUTE => Client::add_guild_member_role,
    super::role::create_role::ROUTE => Client::create_role,
    super::role::delete_role::ROUTE => Client::delete_role,
    super::role::get_guild_roles::ROUTE => Client::get_guild_roles,
    super::role::remove_guild_member_role::ROUTE => Client::remove_guild_member_role,
    super::role::update_role::ROUTE => Client::update_role,
    super::schedule::create_schedule::ROUTE => Client::create_schedule,
    super::schedule::delete_schedule::ROUTE => Client::delete_schedule,
    super::schedule::get_schedule::ROUTE => Client::get_schedule,
    super::schedule::get_schedules::ROUTE => Client::get_schedules,
    super::schedule::update_schedule::ROUTE => Client::update_schedule,
    super::user::generate_url_link::ROUTE => Client::generate_url_link,
    super::user::get_current_user::ROUTE => Client::get_current_user,
    super::user::get_current_user_guilds::ROUTE => Client::get_current_user_guilds,
}
