use crate::i18n::td;
use crate::locale::use_locale;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Footer() -> impl IntoView {
    let locale = use_locale();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <nav aria-label=crate::i18n::td_string!(locale, footer.nav_label)>
                    <ul class="footer-links">
                        <li><A href="/my-booking">{td!(locale, footer.my_booking)}</A></li>
                        <li><A href="/track">{td!(locale, footer.track)}</A></li>
                        <li><A href="/contact">{td!(locale, footer.contact)}</A></li>
                        <li><A href="/privacy">{td!(locale, footer.privacy)}</A></li>
                    </ul>
                </nav>
                <p>{td!(locale, footer.copyright)}</p>
                <p>{td!(locale, footer.address)}</p>
            </div>
        </footer>
    }
}
