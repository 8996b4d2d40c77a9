//! `/staff/mail`: the e-mails that could not be delivered after every retry,
//! for administrators, each with a button that queues it again.

use crate::error::AppError;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::ui::{SignInNeeded, StaffBar};
use crate::staff::{staff_me, staff_undelivered, StaffResendMail, UndeliveredView};
use crate::time::{date_vn, time_vn};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

#[component]
pub fn MailPage() -> impl IntoView {
    let locale = use_locale();
    let done = use_location().query.get_untracked().get("done").is_some();
    let data = Resource::new_blocking(
        || (),
        |_| async move {
            let me = staff_me().await?;
            let view = staff_undelivered().await?;
            Ok::<_, AppError>((me, view))
        },
    );
    view! {
        <Title text=td_string!(locale, staff.mail_title) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((me, view)) => view! {
                        <StaffBar me />
                        <h1>{td!(locale, staff.mail_title)}</h1>
                        {done.then(|| view! { <p class="notice notice--ok" role="status">{td!(locale, staff.mail_requeued)}</p> })}
                        <MailTable view />
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <SignInNeeded /> }.into_any(),
                    Err(error) => view! {
                        <h1>{td!(locale, staff.mail_title)}</h1>
                        <p class="notice notice--error" role="alert">{error.message(locale)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn MailTable(view: UndeliveredView) -> impl IntoView {
    let locale = use_locale();
    if view.messages.is_empty() {
        return view! { <p>{td!(locale, staff.mail_empty)}</p> }.into_any();
    }
    let count = td_string!(locale, staff.mail_count, n = view.count.to_string()).to_string();
    view! {
        <p class="lead">{count}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=td_string!(locale, staff.mail_title)>
            <table class="audit-table">
                <thead>
                    <tr>
                        <th scope="col">{td!(locale, staff.mail_kind)}</th>
                        <th scope="col">{td!(locale, staff.mail_record)}</th>
                        <th scope="col">{td!(locale, staff.mail_reason)}</th>
                        <th scope="col">{td!(locale, staff.mail_attempts)}</th>
                        <th scope="col">{td!(locale, staff.mail_dead_at)}</th>
                        <th scope="col"><span class="visually-hidden">{td!(locale, staff.mail_resend)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {view.messages.into_iter().map(|m| {
                        let when = m.dead_at.clone().unwrap_or_else(|| m.queued_at.clone());
                        let label = td_string!(locale, staff.mail_resend_one, record = m.record.clone()).to_string();
                        view! {
                            <tr>
                                <td><code>{m.kind}</code></td>
                                <td>{m.record}</td>
                                <td><code>{m.reason}</code></td>
                                <td>{m.attempts}</td>
                                <td><time datetime=when.clone()>{format!("{} {}", date_vn(&when), time_vn(&when))}</time></td>
                                <td>
                                    <form action=StaffResendMail::PATH method="post">
                                        <input type="hidden" name="id" value=m.id.to_string() />
                                        <button type="submit" class="button" aria-label=label>{td!(locale, staff.mail_resend)}</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
