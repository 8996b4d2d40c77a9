use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::offices::{list_offices, OfficeList, OfficesUnavailable};
use leptos::prelude::*;
use leptos_meta::Title;

/// The home page: what the portal is for, and the reception offices.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let offices = Resource::new_blocking(|| (), |_| list_offices());
    view! {
        <Title text=td_string!(locale, home.title) />
        <section class="intro">
            <h1>{td!(locale, home.title)}</h1>
            <p class="lead">{td!(locale, home.intro)}</p>
        </section>
        <section aria-labelledby="offices-heading">
            <h2 id="offices-heading">{td!(locale, home.offices_heading)}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match offices.await {
                        Ok(offices) => view! { <OfficeList offices /> }.into_any(),
                        Err(_) => view! { <OfficesUnavailable /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
