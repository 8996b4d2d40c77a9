//! The HTML document and the route table.

use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::pages::{
    AccountsPage, AuditPage, BookingPage, CasePage, CasesPage, CodePage, ContactPage, DeskPage,
    EnrollPage, HomePage, JoinWaitlistPage, MailPage, ManagePage, NotFound, PasswordPage,
    PrivacyPage, RecoveryCodesPage, ReportsPage, SchedulePage, SetPasswordPage, SignInPage,
    TrackEmailPage, TrackPage, WaitlistPage,
};
use crate::ui::{Footer, Header};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The whole document. Runs on the server only; the locale was chosen for
/// this request before rendering started. Only a page with an island loads
/// code, after it has painted (`islands.rs`).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::islands::IslandScripts;
    use leptos_i18n::Locale as _;
    use leptos_meta::{HashedStylesheet, MetaTags};
    let locale = use_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#a61b1b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <IslandScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Every page shares the header and footer. Pages render fully on the server
/// (`SsrMode::Async`) so that they are complete without JavaScript and carry
/// the right status code.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = use_locale();
    let site = td_string!(locale, site.name);
    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { site.to_owned() } else { format!("{page} – {site}") }
        } />
        <Meta name="description" content=td_string!(locale, site.description) />
        <Router>
            <Header />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/book/:office") view=BookingPage ssr=SsrMode::Async />
                    <Route path=path!("/book/:office/wait") view=JoinWaitlistPage ssr=SsrMode::Async />
                    <Route path=path!("/my-booking") view=ManagePage ssr=SsrMode::Async />
                    <Route path=path!("/waitlist") view=WaitlistPage ssr=SsrMode::Async />
                    <Route path=path!("/track") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("/track/email") view=TrackEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/cases") view=CasesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/cases/view") view=CasePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("/contact") view=ContactPage ssr=SsrMode::Async />
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=DeskPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/mail") view=MailPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/schedule") view=SchedulePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sign-in/code") view=CodePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sign-in/enroll") view=EnrollPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/recovery-codes") view=RecoveryCodesPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/password") view=PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/set-password") view=SetPasswordPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
