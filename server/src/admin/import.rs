//! The admin Import page's uploads: `POST /admin/import` (multipart: one or more `files`, each
//! `<collection>.json` as `mongoexport -o` writes it; checkboxes `dry_run` and `strict`)
//! streams the files into the database and queues the import job, then redirects to its
//! progress page; `POST /admin/import/{id}/again` imports a dry run's files for real. A
//! mistake (unknown file name, empty file, too large) redirects back with the message, and
//! nothing of the upload is kept.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use engine::import::job::{self, Settings};
use engine::rbac::can;

use crate::auth::guard::Require;
use crate::error::ApiError;
use crate::state::AppState;

/// Room for the form's other fields and the multipart framing above the files' own limit.
pub const FRAMING: usize = 1 << 20;

fn back_with(message: &str) -> Response {
    let m: String = url::form_urlencoded::byte_serialize(message.as_bytes()).collect();
    Redirect::to(&format!("/admin/import?error={m}")).into_response()
}

/// Turns a user's mistake into a message on the page; anything else is an error answer.
fn on_page(e: engine::Error) -> Result<Response, ApiError> {
    match e {
        engine::Error::Invalid { reason, .. } => Ok(back_with(&reason)),
        other => Err(ApiError(other)),
    }
}

/// Stores the uploaded files and queues their import.
pub async fn upload(
    State(state): State<AppState>,
    Require { capability, .. }: Require<can::ImportData>,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let limit = state.config.import_upload_limit_bytes;
    let mut upload = match job::begin_upload(&state.db, &capability, limit).await {
        Ok(u) => u,
        Err(e) => return on_page(e),
    };
    let mut settings = Settings::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Ok(back_with(&format!(
                    "the upload was cut off or is larger than the {} MiB this page accepts",
                    limit >> 20
                )));
            }
        };
        match field.name().unwrap_or_default() {
            "dry_run" => settings.dry_run = true,
            "strict" => settings.strict = true,
            "files" => {
                let name = field.file_name().unwrap_or_default().to_owned();
                // A form submitted without choosing files sends one nameless, empty part.
                if name.is_empty() {
                    continue;
                }
                if let Err(e) = upload.start_file(&name).await {
                    return on_page(e);
                }
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(bytes)) => {
                            if let Err(e) = upload.write(&bytes).await {
                                return on_page(e);
                            }
                        }
                        Ok(None) => break,
                        Err(_) => {
                            return Ok(back_with(&format!(
                                "`{name}` was cut off, or the files are larger than the {} MiB \
                                 this page accepts",
                                limit >> 20
                            )));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    match upload.finish(&capability, settings).await {
        Ok(queued) => Ok(Redirect::to(&format!("/admin/import/{}", queued.id)).into_response()),
        Err(e) => on_page(e),
    }
}

/// Imports a finished import's files again, for real (form field `strict` keeps strict mode).
pub async fn again(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Require { capability, .. }: Require<can::ImportData>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let id: uuid::Uuid = id
        .parse()
        .map_err(|_| ApiError(engine::Error::NotFound { entity: "import" }))?;
    let settings = Settings {
        dry_run: false,
        strict: form.iter().any(|(k, _)| k == "strict"),
    };
    match job::start_again(&state.db, &capability, id, settings).await {
        Ok(queued) => Ok(Redirect::to(&format!("/admin/import/{}", queued.id)).into_response()),
        Err(e) => on_page(e),
    }
}
