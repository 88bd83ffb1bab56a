//! Who is acting on a request: the signed-in account (or the owner, on a
//! server without accounts), what its role may do, and the rules that
//! follow from it: a published entry is a publisher's to change.

use serde::Serialize;

use glossary_core::accounts::users::Role;
use glossary_core::error::{Error, Result};
use glossary_core::model::Status;

/// The person a request is served for.
#[derive(Clone, Debug, Serialize)]
#[serde(into = "Shown")]
pub(crate) struct Who {
    /// Their account; None for the owner of an account-less database.
    pub name: Option<String>,
    pub role: Role,
    /// The server is a read-only copy: pages show no forms that change.
    pub read_only: bool,
}

/// What pages know of the person (`me`): who, and what they may do, so
/// that templates ask about rights, never compare role names.
#[derive(Serialize)]
pub(crate) struct Shown {
    name: Option<String>,
    role: Role,
    read_only: bool,
    may_write: bool,
    may_publish: bool,
    may_admin: bool,
}

impl From<Who> for Shown {
    fn from(w: Who) -> Shown {
        Shown {
            may_write: !w.read_only,
            may_publish: w.may(Role::Publisher),
            may_admin: w.may(Role::Admin),
            name: w.name,
            role: w.role,
            read_only: w.read_only,
        }
    }
}

impl Who {
    /// Whether they may do what `needs` may, here (a read-only copy lets
    /// nobody change anything).
    pub fn may(&self, needs: Role) -> bool {
        !self.read_only && self.role >= needs
    }

    /// Whether they may change an entry with `status`: a draft, anyone who
    /// writes; a published one, a publisher (the rule [`crate::app::write`]
    /// checks on what a change touched).
    pub fn may_change(&self, status: glossary_core::model::Status) -> bool {
        self.may(match status {
            glossary_core::model::Status::Published => Role::Publisher,
            glossary_core::model::Status::Draft => Role::Editor,
        })
    }

    /// The refusal of `action`, which needs `needs`.
    pub fn forbidden(&self, needs: Role, action: String, hint: Option<String>) -> Error {
        Error::Forbidden {
            action,
            needs: needs.as_str(),
            who: self.described(),
            hint,
        }
    }

    pub(crate) fn owner(read_only: bool) -> Who {
        Who {
            name: None,
            role: Role::Admin,
            read_only,
        }
    }

    /// Who a change made for this request is filed under, doing
    /// `command` (as the CLI would say it).
    pub(crate) fn actor(&self, command: &str) -> glossary_core::change::Actor {
        glossary_core::change::Actor::new(self.name.clone(), format!("serve: {command}"))
    }

    /// The name a review is decided or asked for under: the account's, or
    /// on a server without accounts the owner's, as their changes are filed.
    pub(crate) fn reviewer(&self) -> String {
        self.actor("").name()
    }

    /// Whether they may undo change `id`, which `by` made: their own, anyone;
    /// someone else's, an admin. (What the undo touches is then checked as
    /// any change is: an editor's undo of a published entry is refused.)
    pub(crate) fn may_undo(&self, id: i64, by: &str) -> Result<()> {
        if self.read_only {
            return Err(self.forbidden(Role::Editor, format!("undoing change {id}"), None));
        }
        if self.name.as_deref() == Some(by) || self.may(Role::Admin) {
            Ok(())
        } else {
            Err(self.forbidden(
                Role::Admin,
                format!("undoing change {id}, which {by} made,"),
                Some("you may undo your own changes; ask an admin to undo this one".into()),
            ))
        }
    }

    /// "ana, an editor", for the messages that refuse.
    pub fn described(&self) -> String {
        let article = match self.role {
            Role::Admin | Role::Editor => "an",
            Role::Publisher => "a",
        };
        match &self.name {
            Some(n) => format!("{n}, {article} {}", self.role.as_str()),
            None => "the owner".to_string(),
        }
    }
}

tokio::task_local! {
    /// Who the request on this task is for: set by [`identify`] around the
    /// handler, carried to its blocking work by [`acting`].
    pub(crate) static WHO: Option<Who>;
}

/// Who the current request is for (None on the sign-in page itself).
pub(crate) fn current() -> Option<Who> {
    WHO.try_with(Clone::clone).ok().flatten()
}

/// Runs `work` (on a blocking thread) as the request `who` is for, so that
/// [`current`] answers there too.
pub(crate) fn acting<T>(who: Option<Who>, work: impl FnOnce() -> T) -> T {
    WHO.sync_scope(who, work)
}

/// Refuses (403) unless the current request's person has `needs`.
pub(crate) fn require(needs: Role, action: &str) -> Result<Who> {
    let who = current().ok_or_else(|| Error::Forbidden {
        action: action.to_string(),
        needs: needs.as_str(),
        who: "nobody (not signed in)".into(),
        hint: None,
    })?;
    if who.role >= needs {
        Ok(who)
    } else {
        let hint = format!(
            "ask an admin to do it, or to give you the role (`glossary user role NAME {}`)",
            needs.as_str()
        );
        Err(who.forbidden(needs, action.to_string(), Some(hint)))
    }
}

/// Whether the person sees an entry with `status` locked: their saves
/// would be refused (a published one for an editor, anything on a
/// read-only copy).
pub(crate) fn locked(status: Status) -> bool {
    crate::auth::who::current().is_some_and(|w| !w.may_change(status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use glossary_core::model::Status;

    fn who(name: &str, role: Role) -> Who {
        Who {
            name: Some(name.into()),
            role,
            read_only: false,
        }
    }

    #[test]
    fn a_published_entry_is_a_publishers_to_change() {
        let ana = who("ana", Role::Editor);
        assert!(ana.may_change(Status::Draft));
        assert!(!ana.may_change(Status::Published));
        assert!(who("pia", Role::Publisher).may_change(Status::Published));
        assert!(who("ada", Role::Admin).may_change(Status::Published));
        // On a read-only copy nobody changes anything, the owner included.
        let copy = Who::owner(true);
        assert!(!copy.may_change(Status::Draft));
        assert!(!copy.may(Role::Editor));
        assert!(Who::owner(false).may(Role::Admin));
    }

    #[test]
    fn people_undo_their_own_changes_and_admins_anyones() {
        let ana = who("ana", Role::Editor);
        assert!(ana.may_undo(7, "ana").is_ok());
        let refused = ana.may_undo(7, "pia").unwrap_err().to_string();
        assert!(
            refused.contains("change 7") && refused.contains("pia"),
            "{refused}"
        );
        assert!(who("pia", Role::Publisher).may_undo(7, "ana").is_err());
        assert!(who("ada", Role::Admin).may_undo(7, "ana").is_ok());
        // The owner of a server without accounts is its admin.
        assert!(Who::owner(false).may_undo(7, "ana").is_ok());
        assert!(Who::owner(true).may_undo(7, "ana").is_err());
    }

    #[test]
    fn refusals_say_who_asked_and_what_it_needs() {
        let e = who("ana", Role::Editor)
            .forbidden(Role::Admin, "managing accounts".into(), None)
            .to_string();
        assert!(e.contains("ana, an editor") && e.contains("admin"), "{e}");
        assert_eq!(Who::owner(false).described(), "the owner");
    }
}
