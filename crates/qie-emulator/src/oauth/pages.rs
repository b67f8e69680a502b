//! HTML pages of `graph.qq.com`: the consent page where a person picks a test user, the error
//! page and the page shown after cancelling. Every page exists in Chinese and English.

use std::fmt::Write as _;

use super::world::ConnectApp;

/// Language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    ZhCn,
    En,
}

impl Lang {
    /// Picks the language from a `lang` parameter, else from `Accept-Language`; Chinese by default.
    pub(crate) fn pick(param: Option<&str>, accept_language: Option<&str>) -> Self {
        let choice = param
            .or(accept_language)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if choice.starts_with("en") {
            Self::En
        } else {
            Self::ZhCn
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    fn pick_text(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::ZhCn => zh,
            Self::En => en,
        }
    }
}

/// A person offered on the consent page.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    pub(crate) user_id: String,
    pub(crate) nickname: String,
    pub(crate) avatar: String,
}

/// Content of the consent page.
#[derive(Debug)]
pub(crate) struct ConsentRequest<'a> {
    pub(crate) app: &'a ConnectApp,
    /// Hidden form fields carried to the decision (`response_type`, `client_id`, …).
    pub(crate) hidden: Vec<(&'static str, String)>,
    pub(crate) scopes: &'a [String],
    pub(crate) mobile: bool,
    pub(crate) choices: &'a [Choice],
    /// Query string of this page without `lang`, for the language switch.
    pub(crate) query_without_lang: String,
}

/// Escapes text for HTML text and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }

    escaped
}

const STYLE: &str = "body{margin:0;font-family:'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;background:#eef3f8;color:#222}\
.card{max-width:520px;margin:40px auto;background:#fff;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.12);padding:24px 28px}\
.mobile .card{margin:0;border-radius:0;box-shadow:none;max-width:none}\
.brand{color:#12b7f5;font-weight:bold;font-size:18px;margin-bottom:12px}.brand small{color:#999;font-weight:normal;margin-left:6px}\
h1{font-size:18px;margin:8px 0 16px}ul{padding-left:20px;color:#555}\
fieldset{border:1px solid #dde3ea;border-radius:6px;margin:16px 0;padding:8px 12px}legend{color:#555;padding:0 4px}\
label.user{display:flex;align-items:center;gap:10px;padding:6px 0;cursor:pointer}label.user img{width:40px;height:40px;border-radius:50%}\
label.user small{color:#999}\
.actions{display:flex;gap:12px;margin-top:16px}button{font-size:16px;padding:10px 24px;border-radius:4px;border:1px solid #12b7f5;cursor:pointer}\
button.allow{background:#12b7f5;color:#fff}button.deny{background:#fff;color:#12b7f5}\
.lang{margin-top:18px;font-size:13px;color:#999}.lang a{color:#12b7f5}.error{color:#c0392b}code{background:#f4f4f4;padding:1px 4px}";

fn page(lang: Lang, mobile: bool, title: &str, body: &str) -> String {
    let class = if mobile { " class=\"mobile\"" } else { "" };

    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body{class}><div class=\"card\">\
         <div class=\"brand\">QQ互联<small>{}</small></div>{body}</div></body></html>",
        lang.code(),
        escape(title),
        lang.pick_text("本地模拟器", "local emulator"),
    )
}

fn scope_text(lang: Lang, scope: &str) -> String {
    let known = match scope {
        "get_user_info" | "get_simple_userinfo" => Some(lang.pick_text(
            "获得您的昵称、头像、性别",
            "Read your nickname, avatar and gender",
        )),
        "get_vip_info" | "get_vip_rich_info" => {
            Some(lang.pick_text("获得您的QQ会员信息", "Read your QQ VIP status"))
        }
        "all" => Some(lang.pick_text(
            "访问您的全部授权信息",
            "Access everything this app may request",
        )),
        _ => None,
    };

    known.map_or_else(|| escape(scope), str::to_owned)
}

/// Renders the consent page.
pub(crate) fn consent(lang: Lang, request: &ConsentRequest<'_>) -> String {
    let mut body = String::new();
    let app_name = escape(&request.app.name);
    let _ = write!(
        body,
        "<h1>{}</h1><p>{}</p><ul>",
        match lang {
            Lang::ZhCn => format!("「{app_name}」申请使用您的QQ帐号登录"),
            Lang::En =>
                format!("\u{201c}{app_name}\u{201d} wants to log you in with your QQ account"),
        },
        lang.pick_text("授权后该网站将可以：", "After you agree, the website may:"),
    );
    let default_scope = ["get_user_info".to_owned()];
    let scopes = if request.scopes.is_empty() {
        &default_scope[..]
    } else {
        request.scopes
    };
    for scope in scopes {
        let _ = write!(body, "<li>{}</li>", scope_text(lang, scope));
    }
    body.push_str("</ul><form method=\"post\" action=\"/oauth2.0/authorize\">");
    for (name, value) in &request.hidden {
        let _ = write!(
            body,
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        );
    }
    let _ = write!(
        body,
        "<input type=\"hidden\" name=\"lang\" value=\"{}\">",
        lang.code()
    );

    let _ = write!(
        body,
        "<fieldset><legend>{}</legend>",
        lang.pick_text("选择要登录的测试用户", "Pick the test user to log in as")
    );
    for (index, choice) in request.choices.iter().enumerate() {
        let checked = if index == 0 { " checked" } else { "" };
        let _ = write!(
            body,
            "<label class=\"user\"><input type=\"radio\" name=\"user\" value=\"{id}\"{checked}>\
             <img src=\"{avatar}\" alt=\"\"><span>{nickname} <small>{id}</small></span></label>",
            id = escape(&choice.user_id),
            avatar = escape(&choice.avatar),
            nickname = escape(&choice.nickname),
        );
    }
    body.push_str("</fieldset><div class=\"actions\">");
    let _ = write!(
        body,
        "<button type=\"submit\" class=\"allow\" id=\"authorize\" name=\"action\" value=\"allow\">{}</button>\
         <button type=\"submit\" class=\"deny\" id=\"cancel\" name=\"action\" value=\"deny\">{}</button></div></form>",
        lang.pick_text("授权并登录", "Authorize and log in"),
        lang.pick_text("取消", "Cancel"),
    );
    let (other_lang, other_label) = match lang {
        Lang::ZhCn => ("en", "English"),
        Lang::En => ("zh-CN", "简体中文"),
    };
    let _ = write!(
        body,
        "<p class=\"lang\"><a id=\"lang\" href=\"/oauth2.0/authorize?{}&amp;lang={other_lang}\">{other_label}</a></p>",
        escape(&request.query_without_lang),
    );

    page(
        lang,
        request.mobile,
        lang.pick_text("QQ登录 - 授权", "Log in with QQ - authorize"),
        &body,
    )
}

/// Renders the error page, `redirect uri is illegal(100010)` style.
pub(crate) fn error(lang: Lang, code: u32, description: &str, meaning: (&str, &str)) -> String {
    let body = format!(
        "<h1 class=\"error\">{}</h1><p><code id=\"error\">{}({code})</code></p><p>{}</p>",
        lang.pick_text("很抱歉，登录出错了", "Sorry, the login failed"),
        escape(description),
        escape(match lang {
            Lang::ZhCn => meaning.0,
            Lang::En => meaning.1,
        }),
    );

    page(
        lang,
        false,
        lang.pick_text("QQ登录 - 出错", "Log in with QQ - error"),
        &body,
    )
}

/// Renders the page shown after the person cancels. The platform does not redirect back to the
/// website in that case.
pub(crate) fn cancelled(lang: Lang) -> String {
    let body = format!(
        "<h1>{}</h1><p>{}</p>",
        lang.pick_text("已取消授权", "Authorization cancelled"),
        lang.pick_text("您可以关闭此页面。", "You can close this page."),
    );

    page(
        lang,
        false,
        lang.pick_text("QQ登录", "Log in with QQ"),
        &body,
    )
}

/// Renders a square SVG avatar with the first character of `nickname`.
pub(crate) fn avatar_svg(nickname: &str, seed: &str, size: u32) -> String {
    const COLOURS: [&str; 6] = [
        "#12b7f5", "#f5a623", "#7ed321", "#bd10e0", "#e94e77", "#4a90e2",
    ];
    let index = seed
        .bytes()
        .fold(0usize, |sum, byte| sum.wrapping_add(usize::from(byte)))
        % COLOURS.len();
    let initial = nickname
        .chars()
        .next()
        .map(|c| escape(&c.to_string()))
        .unwrap_or_default();
    let font = size * 11 / 20;

    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"{}\"/>\
         <text x=\"50%\" y=\"50%\" dy=\".35em\" text-anchor=\"middle\" font-size=\"{font}\" fill=\"#fff\" \
         font-family=\"'WenQuanYi Micro Hei','PingFang SC',sans-serif\">{initial}</text></svg>",
        COLOURS[index]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_prefers_parameter_then_header() {
        assert_eq!(Lang::pick(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::pick(None, Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::pick(None, Some("zh-CN,zh;q=0.9")), Lang::ZhCn);
        assert_eq!(Lang::pick(None, None), Lang::ZhCn);
    }

    #[test]
    fn consent_escapes_and_lists_users() {
        let app = ConnectApp {
            name: "<Site>".to_owned(),
            ..ConnectApp::new("1", "k", "http://127.0.0.1/cb")
        };
        let choices = [Choice {
            user_id: "7".to_owned(),
            nickname: "A&B".to_owned(),
            avatar: "/a.svg".to_owned(),
        }];
        let html = consent(
            Lang::ZhCn,
            &ConsentRequest {
                app: &app,
                hidden: vec![("state", "\"><script>".to_owned())],
                scopes: &[],
                mobile: false,
                choices: &choices,
                query_without_lang: "client_id=1".to_owned(),
            },
        );

        assert!(html.contains("&lt;Site&gt;"));
        assert!(html.contains("A&amp;B"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("授权并登录"));
        assert!(html.contains("获得您的昵称、头像、性别"));
        assert!(html.contains("value=\"7\" checked"));
    }

    #[test]
    fn error_page_shows_description_and_code() {
        let html = error(
            Lang::En,
            100_010,
            "redirect uri is illegal",
            ("回调地址不合法", "invalid redirect"),
        );
        assert!(html.contains("redirect uri is illegal(100010)"));
        assert!(html.contains("invalid redirect"));
    }
}
