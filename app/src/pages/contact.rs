use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::offices::{list_offices, OfficesUnavailable};
use leptos::prelude::*;
use leptos_meta::Title;

/// How to reach each reception office.
#[component]
pub fn ContactPage() -> impl IntoView {
    let locale = use_locale();
    let offices = Resource::new_blocking(|| (), |_| list_offices());
    view! {
        <Title text=td_string!(locale, contact.title) />
        <h1>{td!(locale, contact.title)}</h1>
        <p class="lead">{td!(locale, contact.intro)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(offices) = offices.await else {
                    return view! { <OfficesUnavailable /> }.into_any();
                };
                offices
                    .into_iter()
                    .map(|office| {
                        let tel = office.tel_href();
                        view! {
                            <section class="contact-card">
                                <h2>{office.name.get(locale).to_owned()}</h2>
                                <p>{office.address.get(locale).to_owned()}</p>
                                {office.phone.clone().zip(tel).map(|(phone, tel)| view! {
                                    <p>{td!(locale, office.phone)}": " <a href=tel>{phone}</a></p>
                                })}
                                {office.email.clone().map(|email| view! {
                                    <p>{td!(locale, contact.email)}": " <a href=format!("mailto:{email}")>{email.clone()}</a></p>
                                })}
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            })}
        </Suspense>
        <p class="notice">{td!(locale, contact.note)}</p>
    }
}
