use crate::error::AppError;
use crate::i18n::td;
use crate::locale::{describe, use_locale, LanguageSwitch, SetLocale};
use leptos::prelude::*;
use leptos::server_fn::{error::ServerFnUrlError, ServerFn};
use leptos_router::{components::A, hooks::use_location};

/// Query parameters leptos adds when it sends a failed no-JavaScript form
/// back to its page.
const ERROR_PARAMS: [&str; 2] = ["__path", "__err"];

#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let query = location.query.get_untracked();
    // The error of a language switch posted without JavaScript.
    let error = (query.get_str("__path") == Some(SetLocale::PATH))
        .then(|| {
            query
                .get_str("__err")
                .map(ServerFnUrlError::<AppError>::decode_err)
        })
        .flatten()
        .map(|e| describe(&e, locale));
    let mut kept = query;
    for param in ERROR_PARAMS {
        kept.remove(param);
    }
    let next = format!(
        "{}{}",
        location.pathname.get_untracked(),
        kept.to_query_string()
    );

    view! {
        <a class="skip-link" href="#main">{td!(locale, site.skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand">
                    <span class="brand__emblem" aria-hidden="true"></span>
                    <span class="brand__text">
                        <span class="brand__name">{td!(locale, site.name)}</span>
                        <span class="brand__agency">{td!(locale, site.agency)}</span>
                    </span>
                </A>
                <LanguageSwitch locale next error />
            </div>
        </header>
    }
}
