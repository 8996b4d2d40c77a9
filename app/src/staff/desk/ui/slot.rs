//! One slot of the desk's day (its places, the kept ones, its bookings and
//! the schedule tools), and the day's waiting list.

use super::booking_card::BookingCard;
use crate::i18n::{td, td_string};
use crate::locale::use_locale;
use crate::staff::schedule::{StaffSlotBlock, StaffSlotCapacity, StaffSlotKept};
use crate::staff::DaySlot;
use crate::time::time_vn;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub(super) fn SlotBlock(block: DaySlot, office: String, can_edit: bool) -> impl IntoView {
    let locale = use_locale();
    let heading = format!("{}–{}", time_vn(&block.starts_at), time_vn(&block.ends_at));
    let places = td_string!(
        locale,
        staff.places,
        taken = block.taken,
        capacity = block.capacity
    )
    .to_string();
    // What is kept back from online booking, and how much of it is still
    // free for the desk to fill.
    let kept_total = block.kept_walk_in + block.kept_priority;
    let kept = (kept_total > 0).then(|| {
        td_string!(
            locale,
            staff.kept_places,
            walk_in = block.kept_walk_in,
            priority = block.kept_priority,
            free = block.kept
        )
        .to_string()
    });
    let bookings = block.bookings;
    let tools_id = format!("tools-{}", time_vn(&block.starts_at).replace(':', ""));
    let tools = (can_edit && !block.withdrawn).then(|| {
        let at = block.starts_at.clone();
        let label = heading.clone();
        view! {
            <details class="desk-more">
                <summary>{td!(locale, staff.slot_tools)}<span class="visually-hidden">" "{label.clone()}</span></summary>
                <form action=StaffSlotCapacity::PATH method="post" class="rule-form">
                    <input type="hidden" name="office" value=office.clone() />
                    <input type="hidden" name="starts_at" value=at.clone() />
                    <div class="field">
                        <label for=format!("{tools_id}-capacity")>{td!(locale, staff.capacity)}</label>
                        <input id=format!("{tools_id}-capacity") type="number" name="capacity" min=block.taken.max(1).to_string() max="500" value=block.capacity.to_string() required=true />
                    </div>
                    <button type="submit" class="button">{td!(locale, staff.set_capacity)}<span class="visually-hidden">" "{label.clone()}</span></button>
                </form>
                <form action=StaffSlotKept::PATH method="post" class="rule-form">
                    <input type="hidden" name="office" value=office.clone() />
                    <input type="hidden" name="starts_at" value=at.clone() />
                    <div class="field">
                        <label for=format!("{tools_id}-kept_walk_in")>{td!(locale, staff.kept_walk_in)}</label>
                        <input id=format!("{tools_id}-kept_walk_in") type="number" name="kept_walk_in" min="0" max="500" value=block.kept_walk_in.to_string() required=true />
                    </div>
                    <div class="field">
                        <label for=format!("{tools_id}-kept_priority")>{td!(locale, staff.kept_priority)}</label>
                        <input id=format!("{tools_id}-kept_priority") type="number" name="kept_priority" min="0" max="500" value=block.kept_priority.to_string() required=true />
                    </div>
                    <button type="submit" class="button">{td!(locale, staff.set_kept)}<span class="visually-hidden">" "{label.clone()}</span></button>
                </form>
                <form action=StaffSlotBlock::PATH method="post" class="rule-form">
                    <input type="hidden" name="office" value=office.clone() />
                    <input type="hidden" name="starts_at" value=at />
                    <div class="field">
                        <label for=format!("{tools_id}-reason")>{td!(locale, staff.block_reason)}</label>
                        <input id=format!("{tools_id}-reason") type="text" name="reason" maxlength="500" />
                    </div>
                    <button type="submit" class="button button--danger">{td!(locale, staff.block)}<span class="visually-hidden">" "{label}</span></button>
                </form>
            </details>
        }
    });
    view! {
        <section class="desk-slot">
            <h3>
                <time datetime=block.starts_at.clone()>{heading}</time>
                " · "<span class="desk-slot__places">{places}</span>
                {kept.map(|k| view! { " · "<span class="desk-slot__kept">{k}</span> })}
                {block.withdrawn.then(|| view! { " · "<span>{td!(locale, staff.withdrawn)}</span> })}
            </h3>
            {if bookings.is_empty() {
                view! { <p class="desk-slot__empty">{td!(locale, staff.empty_slot)}</p> }.into_any()
            } else {
                view! {
                    <ul class="desk-list">
                        {bookings.into_iter().map(|b| view! { <li><BookingCard booking=b prefix="s" show_time=false /></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {tools}
        </section>
    }
    .into_any()
}

/// The day's waiting list, in the order places are offered.
#[component]
pub(super) fn WaitingList(entries: Vec<crate::staff::desk::DeskWaiting>) -> impl IntoView {
    let locale = use_locale();
    let items = entries
        .into_iter()
        .map(|w| {
            let time = w
                .starts_at
                .as_deref()
                .map(time_vn)
                .unwrap_or_else(|| td_string!(locale, staff.waiting_any_time).to_owned());
            let offer = w.offer_until.as_deref().map(|until| {
                let at = w.offer_starts_at.as_deref().map(time_vn).unwrap_or_default();
                let until = time_vn(until);
                format!("{at}: {}", td_string!(locale, staff.waiting_offered, until = until))
            });
            view! {
                <li>
                    <strong>{w.full_name}</strong>
                    " · "{w.topic.label(locale)}" · "{w.party_size}" · "{time}
                    " · "<span class="code">{crate::booking::BookingCode::pretty(&w.code)}</span>
                    {offer.map(|o| view! { <br /><span class="status status--wait-offered">{o}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">{td!(locale, staff.waiting_heading)}</h2>
            <ol class="rule-list">{items}</ol>
        </section>
    }
}
