//! Pieces every page shares: form fields with inline errors, the pager, status pills, the
//! progress bar, the head tags of shared pages and the one badge view ([`badge_card`]).

pub mod badge_card;
pub mod form;
pub mod pager;
pub mod progress;
pub mod share_preview;
pub mod status_pill;

pub use badge_card::{BadgeCard, BadgeView};
pub use form::{ErrorSummary, Field, FieldKind, SelectField};
pub use pager::Pager;
pub use progress::ProgressBar;
pub use share_preview::SharePreview;
pub use status_pill::StatusPill;
