//! The findings of the converter: one [`Rule`] per kind of WeChat feature that QQ lacks or
//! handles differently, or that needs the user's input, with its messages in English and Chinese.
//!
//! The tables follow what QQ documents and what public porting work observed. Entries marked
//! "not documented for QQ" may work on a recent QQ; they are reported so the user checks them.

use serde::Serialize;

use crate::Language;

/// The seriousness of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// QQ lacks the feature, or QQ documents no counterpart: the code will not work as is.
    Unsupported,
    /// QQ has the feature, but it behaves differently.
    Different,
    /// A value only the user can supply (a QQ appid, a server address).
    Manual,
}

impl Severity {
    /// Returns the label used in reports.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Self::Unsupported, Language::English) => "unsupported",
            (Self::Different, Language::English) => "different",
            (Self::Manual, Language::English) => "manual",
            (Self::Unsupported, Language::SimplifiedChinese) => "不支持",
            (Self::Different, Language::SimplifiedChinese) => "行为不同",
            (Self::Manual, Language::SimplifiedChinese) => "需手动处理",
        }
    }
}

/// The converter's treatment of the reported item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// Rewritten to the QQ form; check the result.
    Converted,
    /// Left as it was.
    Kept,
    /// Removed from the output.
    Removed,
}

impl Action {
    /// Returns the label used in reports.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Self::Converted, Language::English) => "converted",
            (Self::Kept, Language::English) => "kept",
            (Self::Removed, Language::English) => "removed",
            (Self::Converted, Language::SimplifiedChinese) => "已转换",
            (Self::Kept, Language::SimplifiedChinese) => "已保留",
            (Self::Removed, Language::SimplifiedChinese) => "已删除",
        }
    }
}

/// A kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Rule {
    /// A WeChat-only component.
    UnsupportedComponent,
    /// A WeChat ad unit (`<ad unit-id>`).
    AdUnit,
    /// A `<button open-type>` value QQ does not document.
    ButtonOpenType,
    /// `<button open-type="share">`: QQ's share targets and attributes differ.
    ShareButton,
    /// Default content inside `<slot>`, which QQ does not render.
    SlotFallback,
    /// A binding expression that uses a JavaScript reserved word as an identifier.
    ReservedWordBinding,
    /// The `virtualHost` component option.
    VirtualHost,
    /// A WeChat API without a documented QQ counterpart.
    UnsupportedApi,
    /// An API that exists on QQ but behaves differently.
    ApiDiffers,
    /// A WeChat appid (`wx` + 16 hex digits).
    WechatAppId,
    /// `wx-server-sdk`, rewritten to `qq-server-sdk`.
    CloudSdk,
    /// A call of WeChat's server API host.
    WeixinServerApi,
    /// A script that declares its own `wx`, so nothing in it was rewritten.
    LocalWx,
    /// `project.config.json` `appid`, renamed to `qqappid` and cleared.
    ProjectAppId,
    /// `project.config.json` `libVersion`, renamed to `qqLibVersion`.
    LibVersion,
    /// A configuration key QQ does not support, removed.
    RemovedKey,
    /// A configuration key QQ does not document, kept.
    UndocumentedKey,
    /// A component of a WeChat UI library.
    UiLibrary,
    /// Pages without any custom component.
    ComponentRequired,
    /// Two input files map to the same output file.
    NameCollision,
    /// A symbolic link, which the converter does not follow.
    Symlink,
    /// A directory the converter does not convert (`node_modules`).
    SkippedDirectory,
    /// A JSON file that could not be parsed.
    InvalidJson,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Self; 23] = [
        Self::UnsupportedComponent,
        Self::AdUnit,
        Self::ButtonOpenType,
        Self::ShareButton,
        Self::SlotFallback,
        Self::ReservedWordBinding,
        Self::VirtualHost,
        Self::UnsupportedApi,
        Self::ApiDiffers,
        Self::WechatAppId,
        Self::CloudSdk,
        Self::WeixinServerApi,
        Self::LocalWx,
        Self::ProjectAppId,
        Self::LibVersion,
        Self::RemovedKey,
        Self::UndocumentedKey,
        Self::UiLibrary,
        Self::ComponentRequired,
        Self::NameCollision,
        Self::Symlink,
        Self::SkippedDirectory,
        Self::InvalidJson,
    ];

    /// Returns the rule's id as printed in reports, for example `unsupported-api`.
    pub fn id(self) -> &'static str {
        match self {
            Self::UnsupportedComponent => "unsupported-component",
            Self::AdUnit => "ad-unit",
            Self::ButtonOpenType => "button-open-type",
            Self::ShareButton => "share-button",
            Self::SlotFallback => "slot-fallback",
            Self::ReservedWordBinding => "reserved-word-binding",
            Self::VirtualHost => "virtual-host",
            Self::UnsupportedApi => "unsupported-api",
            Self::ApiDiffers => "api-differs",
            Self::WechatAppId => "wechat-appid",
            Self::CloudSdk => "cloud-sdk",
            Self::WeixinServerApi => "weixin-server-api",
            Self::LocalWx => "local-wx",
            Self::ProjectAppId => "project-appid",
            Self::LibVersion => "lib-version",
            Self::RemovedKey => "removed-key",
            Self::UndocumentedKey => "undocumented-key",
            Self::UiLibrary => "ui-library",
            Self::ComponentRequired => "component-required",
            Self::NameCollision => "name-collision",
            Self::Symlink => "symlink",
            Self::SkippedDirectory => "skipped-directory",
            Self::InvalidJson => "invalid-json",
        }
    }

    /// Returns how serious findings of this rule are.
    pub fn severity(self) -> Severity {
        match self {
            Self::UnsupportedComponent
            | Self::AdUnit
            | Self::ButtonOpenType
            | Self::SlotFallback
            | Self::ReservedWordBinding
            | Self::VirtualHost
            | Self::UnsupportedApi
            | Self::RemovedKey => Severity::Unsupported,
            Self::ShareButton
            | Self::ApiDiffers
            | Self::CloudSdk
            | Self::LibVersion
            | Self::UndocumentedKey
            | Self::UiLibrary
            | Self::ComponentRequired => Severity::Different,
            Self::WechatAppId
            | Self::WeixinServerApi
            | Self::LocalWx
            | Self::ProjectAppId
            | Self::NameCollision
            | Self::Symlink
            | Self::SkippedDirectory
            | Self::InvalidJson => Severity::Manual,
        }
    }

    /// Returns what the converter does with findings of this rule.
    pub fn action(self) -> Action {
        match self {
            Self::UnsupportedApi
            | Self::ApiDiffers
            | Self::CloudSdk
            | Self::ProjectAppId
            | Self::LibVersion => Action::Converted,
            Self::RemovedKey | Self::NameCollision | Self::Symlink | Self::SkippedDirectory => {
                Action::Removed
            }
            Self::UnsupportedComponent
            | Self::AdUnit
            | Self::ButtonOpenType
            | Self::ShareButton
            | Self::SlotFallback
            | Self::ReservedWordBinding
            | Self::VirtualHost
            | Self::WechatAppId
            | Self::WeixinServerApi
            | Self::LocalWx
            | Self::UndocumentedKey
            | Self::UiLibrary
            | Self::ComponentRequired
            | Self::InvalidJson => Action::Kept,
        }
    }

    /// Returns the explanation of a finding about `subject` (a tag, an API, a key …).
    pub fn message(self, subject: &str, language: Language) -> String {
        match language {
            Language::English => self.message_en(subject),
            Language::SimplifiedChinese => self.message_zh(subject),
        }
    }

    fn message_en(self, subject: &str) -> String {
        match self {
            Self::UnsupportedComponent => format!(
                "<{subject}> is a WeChat component that QQ does not document; replace it or \
                 guard the page"
            ),
            Self::AdUnit => format!(
                "{subject}: WeChat ad units do not carry over; QQ's <ad> takes type, ad-left, \
                 ad-top, ad-width and ad-height"
            ),
            Self::ButtonOpenType => format!(
                "open-type=\"{subject}\" is not documented for QQ; the button may do nothing"
            ),
            Self::ShareButton => format!(
                "open-type=\"{subject}\": QQ shares to QQ, Qzone and WeChat, chosen with \
                 share-type and share-mode"
            ),
            Self::SlotFallback => format!(
                "<{subject}> has default content, which QQ does not render; move it into the \
                 page"
            ),
            Self::ReservedWordBinding => format!(
                "the binding uses the reserved word \"{subject}\" as a name, which the QML \
                 compiler rejects; rename the data field"
            ),
            Self::VirtualHost => format!(
                "{subject} is not supported; QQ renders an extra wrapper node that can break \
                 flex and grid layouts"
            ),
            Self::UnsupportedApi => format!(
                "{subject} is a WeChat API with no documented QQ counterpart; guard the call \
                 (if (qq.{}) …) or remove it",
                subject.trim_start_matches("wx.")
            ),
            Self::ApiDiffers => api_difference_en(subject),
            Self::WechatAppId => format!(
                "\"{subject}\" is a WeChat appid; QQ needs the numeric appid of a QQ \
                 mini-program"
            ),
            Self::CloudSdk => format!(
                "{subject} was rewritten to qq-server-sdk; deploy the cloud functions to QQ's \
                 cloud development"
            ),
            Self::WeixinServerApi => format!(
                "\"{subject}\" calls WeChat's server API; QQ's is https://api.q.qq.com with \
                 other paths (for example /api/getToken)"
            ),
            Self::LocalWx => format!(
                "this script declares its own \"{subject}\", so no wx. call in it was rewritten; \
                 convert it by hand"
            ),
            Self::ProjectAppId => format!(
                "{subject} was renamed to qqappid and cleared; enter the QQ mini-program's \
                 numeric appid"
            ),
            Self::LibVersion => {
                format!("{subject} was renamed to qqLibVersion; choose a QQ base library version")
            }
            Self::RemovedKey => {
                format!("\"{subject}\" is not supported by QQ and was removed")
            }
            Self::UndocumentedKey => {
                format!("\"{subject}\" is not documented for QQ; it was kept, check it")
            }
            Self::UiLibrary => format!(
                "{subject} is a WeChat UI library; its components have known layout problems \
                 on QQ"
            ),
            Self::ComponentRequired => format!(
                "no custom component is declared for {subject}; on a phone QQ may fail with \
                 \"Component constructors should be called while initialization\"; register \
                 one component in app.json usingComponents"
            ),
            Self::NameCollision => format!(
                "{subject} maps to a file that another input already produced; it was skipped"
            ),
            Self::Symlink => format!("{subject} is a symbolic link and was not followed"),
            Self::SkippedDirectory => {
                format!("{subject} was not converted; rebuild npm packages for QQ in the output")
            }
            Self::InvalidJson => {
                format!("{subject} is not valid JSON; it was copied unchanged")
            }
        }
    }

    fn message_zh(self, subject: &str) -> String {
        match self {
            Self::UnsupportedComponent => {
                format!("<{subject}> 是微信组件，QQ 文档中没有；请替换它或对页面做兼容处理")
            }
            Self::AdUnit => format!(
                "{subject}：微信广告单元不能迁移；QQ 的 <ad> 使用 type、ad-left、ad-top、\
                 ad-width 和 ad-height"
            ),
            Self::ButtonOpenType => {
                format!("open-type=\"{subject}\" 在 QQ 文档中没有；按钮可能没有任何效果")
            }
            Self::ShareButton => format!(
                "open-type=\"{subject}\"：QQ 可分享到 QQ、QQ 空间和微信，用 share-type 和 \
                 share-mode 选择"
            ),
            Self::SlotFallback => {
                format!("<{subject}> 中有默认内容，QQ 不会渲染；请把它移到页面中")
            }
            Self::ReservedWordBinding => format!(
                "绑定表达式把保留字 \"{subject}\" 用作名称，QML 编译器会报错；请重命名该数据字段"
            ),
            Self::VirtualHost => {
                format!("不支持 {subject}；QQ 会多渲染一层包裹节点，可能破坏 flex 和 grid 布局")
            }
            Self::UnsupportedApi => format!(
                "{subject} 是微信 API，QQ 文档中没有对应接口；请加判断（if (qq.{}) …）或删除调用",
                subject.trim_start_matches("wx.")
            ),
            Self::ApiDiffers => api_difference_zh(subject),
            Self::WechatAppId => {
                format!("\"{subject}\" 是微信 appid；QQ 需要 QQ 小程序的数字 appid")
            }
            Self::CloudSdk => {
                format!("{subject} 已改写为 qq-server-sdk；请把云函数部署到 QQ 小程序云开发")
            }
            Self::WeixinServerApi => format!(
                "\"{subject}\" 调用的是微信服务端 API；QQ 的是 https://api.q.qq.com，路径不同\
                 （例如 /api/getToken）"
            ),
            Self::LocalWx => {
                format!("此脚本自己声明了 \"{subject}\"，其中的 wx. 调用均未改写；请手动转换")
            }
            Self::ProjectAppId => {
                format!("{subject} 已改名为 qqappid 并清空；请填写 QQ 小程序的数字 appid")
            }
            Self::LibVersion => {
                format!("{subject} 已改名为 qqLibVersion；请选择 QQ 基础库版本")
            }
            Self::RemovedKey => format!("QQ 不支持 \"{subject}\"，已删除"),
            Self::UndocumentedKey => {
                format!("QQ 文档中没有 \"{subject}\"；已保留，请检查")
            }
            Self::UiLibrary => {
                format!("{subject} 是微信 UI 组件库；其组件在 QQ 上有已知的布局问题")
            }
            Self::ComponentRequired => format!(
                "{subject} 没有声明任何自定义组件；真机上 QQ 可能报错 \"Component constructors \
                 should be called while initialization\"；请在 app.json 的 usingComponents 中\
                 注册一个组件"
            ),
            Self::NameCollision => {
                format!("{subject} 对应的输出文件已由另一个输入文件生成；已跳过")
            }
            Self::Symlink => format!("{subject} 是符号链接，未跟随"),
            Self::SkippedDirectory => {
                format!("{subject} 未转换；请在输出目录中为 QQ 重新构建 npm 包")
            }
            Self::InvalidJson => format!("{subject} 不是有效的 JSON；已原样复制"),
        }
    }
}

fn api_difference_en(subject: &str) -> String {
    match subject {
        "wx.requestPayment" => "wx.requestPayment became qq.requestPayment, which pays with QQ \
                                Wallet (QPay, server side qpay.qq.com); WeChat Pay server code \
                                does not port, and qq.requestWxPayment launches WeChat Pay"
            .to_owned(),
        "wx.getWeRunData" => "wx.getWeRunData has no QQ form; QQ's step data is \
                              qq.getQQRunData with the scope.qqrun permission"
            .to_owned(),
        "wx.login" => "qq.login returns a code for https://api.q.qq.com/sns/jscode2session; \
                       move the backend's code2session call to QQ"
            .to_owned(),
        "wx.navigateToMiniProgram" => "qq.navigateToMiniProgram opens QQ mini-programs only: \
                                       use numeric QQ appids listed in \
                                       navigateToMiniProgramAppIdList"
            .to_owned(),
        other => format!("{other} behaves differently on QQ"),
    }
}

fn api_difference_zh(subject: &str) -> String {
    match subject {
        "wx.requestPayment" => "wx.requestPayment 已改为 qq.requestPayment，它使用 QQ 钱包\
                                （QPay，服务端为 qpay.qq.com）；微信支付的服务端代码不能直接\
                                迁移，qq.requestWxPayment 可调起微信支付"
            .to_owned(),
        "wx.getWeRunData" => {
            "wx.getWeRunData 在 QQ 上没有；QQ 的步数接口是 qq.getQQRunData，需要 scope.qqrun 授权"
                .to_owned()
        }
        "wx.login" => "qq.login 返回的 code 需在 https://api.q.qq.com/sns/jscode2session 换取\
                       会话；请把后端的 code2session 调用改为 QQ 的接口"
            .to_owned(),
        "wx.navigateToMiniProgram" => "qq.navigateToMiniProgram 只能打开 QQ 小程序：请使用列在 \
                                       navigateToMiniProgramAppIdList 中的 QQ 数字 appid"
            .to_owned(),
        other => format!("{other} 在 QQ 上的行为不同"),
    }
}

/// WeChat components that QQ does not document: newer WeChat components (Skyline rendering,
/// page containers, portals) and components of WeChat-only services.
pub(crate) const UNSUPPORTED_COMPONENTS: &[&str] = &[
    "channel-live",
    "channel-video",
    "draggable-sheet",
    "functional-page-navigator",
    "grid-builder",
    "grid-view",
    "list-builder",
    "list-view",
    "nested-scroll-body",
    "nested-scroll-header",
    "official-account",
    "open-container",
    "open-data-item",
    "open-data-list",
    "page-container",
    "root-portal",
    "share-element",
    "snapshot",
    "sticky-header",
    "sticky-section",
    "store-home",
    "store-product",
    "voip-room",
];

/// `<button open-type>` values that QQ does not document.
pub(crate) const UNSUPPORTED_OPEN_TYPES: &[&str] = &[
    "agreePrivacyAuthorization",
    "chooseAvatar",
    "getPhoneNumber",
    "getRealtimePhoneNumber",
];

/// WeChat APIs of WeChat-only services (Channels, WeChat Pay variants, official accounts,
/// WeRun, SOTER, invoices, VoIP, the privacy agreement) with no documented QQ counterpart.
pub(crate) const UNSUPPORTED_APIS: &[&str] = &[
    "checkIsSoterEnrolledInDevice",
    "checkIsSupportSoterAuthentication",
    "chooseInvoice",
    "chooseInvoiceTitle",
    "chooseLicensePlate",
    "getChannelsLiveInfo",
    "getChannelsLiveNoticeInfo",
    "getChannelsShareKey",
    "getDeviceVoIPList",
    "getGroupEnterInfo",
    "getPrivacySetting",
    "join1v1Chat",
    "joinVoIPChat",
    "onNeedPrivacyAuthorization",
    "openBusinessView",
    "openChannelsActivity",
    "openChannelsEvent",
    "openChannelsLive",
    "openChannelsUserProfile",
    "openCustomerServiceChat",
    "openOfficialAccountArticle",
    "openOfficialAccountChat",
    "openOfficialAccountProfile",
    "openPrivacyContract",
    "requestDeviceVoIP",
    "requestMerchantTransfer",
    "requestOrderPayment",
    "requestPluginPayment",
    "requestVirtualPayment",
    "requirePrivacyAuthorize",
    "reserveChannelsLive",
    "shareToWeRun",
    "startSoterAuthentication",
];

/// APIs that QQ has (or replaces) but that behave differently.
pub(crate) const DIFFERENT_APIS: &[&str] = &[
    "getWeRunData",
    "login",
    "navigateToMiniProgram",
    "requestPayment",
];

/// ECMAScript reserved words that the QML compiler rejects as names in bindings. The literals
/// and operators that expressions may use (`true`, `false`, `null`, `this`, `typeof`, `void`,
/// `in`, `instanceof`, `new`) are left out.
pub(crate) const RESERVED_WORDS: &[&str] = &[
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "throw",
    "try",
    "var",
    "while",
    "with",
    "yield",
];

/// `app.json` and page keys that QQ does not support: removed.
pub(crate) const REMOVED_CONFIG_KEYS: &[&str] = &[
    "componentFramework",
    "darkmode",
    "lazyCodeLoading",
    "renderer",
    "rendererOptions",
    "style",
    "themeLocation",
];

/// `app.json` keys that QQ documents.
pub(crate) const QQ_APP_KEYS: &[&str] = &[
    "debug",
    "groupIdList",
    "navigateToMiniProgramAppIdList",
    "networkTimeout",
    "pages",
    "permission",
    "plugins",
    "preloadRule",
    "requiredBackgroundModes",
    "subPackages",
    "subpackages",
    "tabBar",
    "usingComponents",
    "window",
    "workers",
];

/// Package names of WeChat UI libraries.
pub(crate) const UI_LIBRARIES: &[&str] =
    &["@vant/weapp", "tdesign-miniprogram", "uview", "vant-weapp"];

/// Returns whether `text` is a WeChat appid: `wx` and 16 lower-case hex digits.
pub(crate) fn is_wechat_appid(text: &str) -> bool {
    text.len() == 18
        && text.starts_with("wx")
        && text[2..]
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_an_id_and_messages() {
        for rule in Rule::ALL {
            assert!(!rule.id().is_empty());
            assert!(rule.message("x", Language::English).contains('x'));
            assert!(!rule.message("x", Language::SimplifiedChinese).is_empty());
        }
    }

    #[test]
    fn tables_are_sorted() {
        for table in [
            UNSUPPORTED_COMPONENTS,
            UNSUPPORTED_OPEN_TYPES,
            UNSUPPORTED_APIS,
            DIFFERENT_APIS,
            RESERVED_WORDS,
            REMOVED_CONFIG_KEYS,
            QQ_APP_KEYS,
        ] {
            assert!(table.windows(2).all(|pair| pair[0] < pair[1]), "{table:?}");
        }
    }

    #[test]
    fn wechat_appids_are_recognized() {
        assert!(is_wechat_appid("wx4f4bc4dec97d474b"));
        assert!(!is_wechat_appid("wx4f4bc4dec97d474"));
        assert!(!is_wechat_appid("1109816085"));
        assert!(!is_wechat_appid("wxParse-abcdef1234"));
    }
}
