//! Who may see a denouncer (Law on Denunciations 2018, art. 9 and 56). One
//! rule for every surface that can show a citizen: the desk's day view and
//! booking cards, the case list and page (and the case's booking code, which
//! leads back to the booking), the CSV downloads and the API behind them.
//! Every view it lets through for a denunciation is audited by the caller.

use super::auth::StaffUser;
use super::Role;
use uuid::Uuid;

/// What the rule needs to know about the matter a citizen came with.
#[derive(Debug, Clone, Copy)]
pub struct Matter {
    pub denunciation: bool,
    pub office: Uuid,
    /// The officer the case is assigned to (for a booking: the case opened
    /// from it, if any).
    pub handler: Option<Uuid>,
}

/// Whether `user` may see the citizen of `matter` unmasked: anyone who may
/// read it at all for a complaint or petition; for a denunciation only
/// administrators, the supervisors of its office, and the officer
/// assigned to handle it.
pub fn sees_identity(user: &StaffUser, matter: &Matter) -> bool {
    !matter.denunciation
        || user.role == Role::Admin
        || (user.role == Role::Supervisor && user.serves(matter.office))
        || matter.handler == Some(user.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_the_offices_supervisors_and_the_handler_see_a_denouncer() {
        let (here, there) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let member = |n: u128, role, offices: Vec<Uuid>| {
            StaffUser::for_test(Uuid::from_u128(n), role, offices)
        };
        let receptionist = member(10, Role::Receptionist, vec![here]);
        let officer = member(11, Role::Officer, vec![here]);
        let handler = member(12, Role::Officer, vec![here]);
        let supervisor = member(13, Role::Supervisor, vec![here]);
        let elsewhere = member(14, Role::Supervisor, vec![there]);
        let admin = member(15, Role::Admin, vec![there]);
        let denunciation = Matter {
            denunciation: true,
            office: here,
            handler: Some(handler.id),
        };
        let seen: Vec<bool> = [
            &receptionist,
            &officer,
            &handler,
            &supervisor,
            &elsewhere,
            &admin,
        ]
        .iter()
        .map(|u| sees_identity(u, &denunciation))
        .collect();
        assert_eq!(seen, [false, false, true, true, false, true]);
        let unassigned = Matter {
            handler: None,
            ..denunciation
        };
        assert!(!sees_identity(&officer, &unassigned));
        // A complaint's citizen is no secret to those who may read it.
        let complaint = Matter {
            denunciation: false,
            ..unassigned
        };
        assert!(sees_identity(&receptionist, &complaint));
    }
}
