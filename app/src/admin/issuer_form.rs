//! The issuer profile form shared by "new issuer" and the issuer page: name, description,
//! contact, address, logo, parent organisation and other identifiers. Inputs are named
//! `form[…]` so one server-function argument receives them all, with or without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::form::is_about;
use crate::components::{Field, FieldKind, SelectField};
use crate::error::AppError;
use crate::language::{t, t_with};

/// One "other identifier" row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifierRow {
    /// OB `identifierType`.
    #[serde(default)]
    pub kind: String,
    /// The identifier.
    #[serde(default)]
    pub value: String,
}

/// What the issuer form submits (and shows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerFormValues {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Home page.
    #[serde(default)]
    pub url: String,
    /// Contact e-mail.
    #[serde(default)]
    pub email: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Logo URL (set by the upload control, or typed).
    #[serde(default)]
    pub image: String,
    /// Address: street.
    #[serde(default)]
    pub street: String,
    /// Address: town or city.
    #[serde(default)]
    pub locality: String,
    /// Address: region.
    #[serde(default)]
    pub region: String,
    /// Address: postal code.
    #[serde(default)]
    pub postal_code: String,
    /// Address: country.
    #[serde(default)]
    pub country: String,
    /// Parent organisation id, or empty.
    #[serde(default)]
    pub parent_id: String,
    /// `key` or `web` (new issuers only).
    #[serde(default)]
    pub did_method: String,
    /// Other identifiers.
    #[serde(default)]
    pub identifiers: Vec<IdentifierRow>,
}

#[cfg(feature = "ssr")]
impl IssuerFormValues {
    /// The engine input and DID method; a malformed parent id is a field error.
    pub fn to_input(
        &self,
    ) -> Result<(engine::issuer::IssuerInput, engine::issuer::DidMethod), AppError> {
        let parent_id = match self.parent_id.trim() {
            "" => None,
            p => Some(p.parse().map_err(|_| {
                AppError::invalid("parent_id", t("admin-issuer-form-parent-invalid"))
            })?),
        };
        let address = serde_json::json!({
            "streetAddress": self.street,
            "addressLocality": self.locality,
            "addressRegion": self.region,
            "postalCode": self.postal_code,
            "addressCountry": self.country,
        });
        let method = if self.did_method == "web" {
            engine::issuer::DidMethod::Web
        } else {
            engine::issuer::DidMethod::Key
        };
        Ok((
            engine::issuer::IssuerInput {
                name: self.name.clone(),
                url: Some(self.url.clone()),
                email: Some(self.email.clone()),
                description: Some(self.description.clone()),
                phone: Some(self.phone.clone()),
                address: Some(address),
                image: Some(self.image.clone()),
                parent_id,
                other_identifiers: self
                    .identifiers
                    .iter()
                    .map(|r| engine::issuer::IdentifierEntry {
                        identifier: r.value.clone(),
                        identifier_type: if r.kind.is_empty() {
                            "identifier".into()
                        } else {
                            r.kind.clone()
                        },
                    })
                    .collect(),
            },
            method,
        ))
    }

    /// The form as it shows an existing issuer.
    pub fn from_issuer(i: &engine::issuer::Issuer) -> IssuerFormValues {
        let part = |k: &str| {
            i.address
                .as_ref()
                .and_then(|a| a.get(k))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        IssuerFormValues {
            name: i.name.clone(),
            description: i.description.clone().unwrap_or_default(),
            url: i.url.clone().unwrap_or_default(),
            email: i.email.clone().unwrap_or_default(),
            phone: i.phone.clone().unwrap_or_default(),
            image: i.image.clone().unwrap_or_default(),
            street: part("streetAddress"),
            locality: part("addressLocality"),
            region: part("addressRegion"),
            postal_code: part("postalCode"),
            country: part("addressCountry"),
            parent_id: i.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            did_method: i.did_method.as_str().to_owned(),
            identifiers: i
                .other_identifiers
                .iter()
                .map(|e| IdentifierRow {
                    kind: e.identifier_type.clone(),
                    value: e.identifier.clone(),
                })
                .collect(),
        }
    }
}

/// The OB identifier types offered, with the keys of their words.
const IDENTIFIER_CHOICES: [(&str, &str); 8] = [
    ("identifier", "admin-issuer-form-ident-identifier"),
    ("sourcedId", "admin-issuer-form-ident-sourced-id"),
    ("systemId", "admin-issuer-form-ident-system-id"),
    (
        "nationalIdentityNumber",
        "admin-issuer-form-ident-national-identity-number",
    ),
    ("lisSourcedId", "admin-issuer-form-ident-lis-sourced-id"),
    (
        "oneRosterSourcedId",
        "admin-issuer-form-ident-one-roster-sourced-id",
    ),
    ("sisSourcedId", "admin-issuer-form-ident-sis-sourced-id"),
    ("ltiPlatformId", "admin-issuer-form-ident-lti-platform-id"),
];

/// The form's fields (the surrounding `ActionForm` and buttons are the page's).
#[component]
pub fn IssuerForm(
    /// Values to show.
    values: IssuerFormValues,
    /// (id, name) of possible parents (the issuer itself is left out by the page).
    parents: Vec<(String, String)>,
    /// Offer did:web.
    did_web: bool,
    /// A new issuer (shows the identity choice).
    creating: bool,
    /// A parent must be chosen (staff who may only add departments).
    #[prop(optional)]
    require_parent: bool,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = values;
    let mut parent_options = Vec::new();
    if !require_parent {
        parent_options.push((String::new(), t("admin-issuer-form-no-parent")));
    }
    parent_options.extend(parents);
    let (image, set_image) = signal(v.image.clone());
    let mut identifiers = v.identifiers.clone();
    // Always offer an empty row (no JavaScript needed to add one).
    identifiers.push(IdentifierRow::default());
    view! {
        <crate::components::ErrorSummary error=error />
        <fieldset>
            <legend>{t("admin-issuer-form-profile")}</legend>
            <Field label=t("admin-field-issuer-name") name="form[name]" value=v.name.clone() required=true maxlength=500
                hint=t("admin-field-issuer-name-hint") error=error />
            <Field label=t("admin-field-issuer-description") name="form[description]" value=v.description.clone() kind=FieldKind::TextArea
                hint=t("admin-field-issuer-description-hint") error=error maxlength=10000 />
            <div class="field-row">
                <Field label=t("admin-field-issuer-url") name="form[url]" value=v.url.clone() kind=FieldKind::Url
                    placeholder="https://example.org" autocomplete="url" error=error />
                <Field label=t("admin-field-issuer-email") name="form[email]" value=v.email.clone() kind=FieldKind::Email
                    placeholder="badges@example.org" autocomplete="email" error=error />
                <Field label=t("admin-field-issuer-phone") name="form[phone]" value=v.phone.clone() kind=FieldKind::Tel autocomplete="tel" error=error />
            </div>
        </fieldset>
        <fieldset>
            <legend>{t("admin-issuer-form-logo")}</legend>
            <ImageField name="form[image]" value=image set_value=set_image error=error
                hint=t("admin-issuer-form-logo-hint") />
        </fieldset>
        <fieldset>
            <legend>{t("admin-issuer-form-address")}</legend>
            <Field label=t("admin-field-issuer-street") name="form[street]" value=v.street.clone() autocomplete="street-address" error=error />
            <div class="field-row">
                <Field label=t("admin-field-issuer-postal-code") name="form[postal_code]" value=v.postal_code.clone() autocomplete="postal-code" error=error />
                <Field label=t("admin-field-issuer-locality") name="form[locality]" value=v.locality.clone() autocomplete="address-level2" error=error />
                <Field label=t("admin-field-issuer-region") name="form[region]" value=v.region.clone() autocomplete="address-level1" error=error />
                <Field label=t("admin-field-issuer-country") name="form[country]" value=v.country.clone() autocomplete="country-name" error=error />
            </div>
        </fieldset>
        <fieldset>
            <legend>{t("admin-issuer-form-organisation")}</legend>
            <SelectField label=t("admin-field-issuer-parent") name="form[parent_id]" options=parent_options selected=v.parent_id.clone()
                hint=t("admin-field-issuer-parent-hint")
                error=error />
            <div class="field" class:has-error=move || error.get().is_some_and(|e| is_about(&e, "form[other_identifiers]"))>
                <span class="label">{t("admin-issuer-form-other-identifiers")}</span>
                <p class="hint">{t("admin-issuer-form-other-identifiers-hint")}</p>
                {identifiers.into_iter().enumerate().map(|(i, row)| {
                    let kind_name = format!("form[identifiers][{i}][kind]");
                    let value_name = format!("form[identifiers][{i}][value]");
                    let kind_id = format!("ident-{i}-kind");
                    let value_id = format!("ident-{i}-value");
                    view! {
                        <div class="identifier-row">
                            <label class="visually-hidden" for=kind_id.clone()>{t_with("admin-issuer-form-ident-type", &[("n", (i + 1).into())])}</label>
                            <select id=kind_id name=kind_name>
                                {IDENTIFIER_CHOICES.iter().map(|(k, key)| {
                                    let sel = row.kind == *k;
                                    view! { <option value=*k selected=sel>{t(key)}</option> }
                                }).collect_view()}
                            </select>
                            <label class="visually-hidden" for=value_id.clone()>{t_with("admin-issuer-form-ident-value", &[("n", (i + 1).into())])}</label>
                            <input id=value_id name=value_name value=row.value.clone() placeholder=t("admin-issuer-form-ident-placeholder") />
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" aria-live="polite">
                    {move || error.get().filter(|e| is_about(e, "form[other_identifiers]")).map(|e| e.to_string())}
                </p>
            </div>
        </fieldset>
        {creating.then(|| view! {
            <fieldset>
                <legend>{t("admin-issuer-form-identity")}</legend>
                <p class="hint">{t("admin-issuer-form-identity-hint")}</p>
                <div class="radio">
                    <input type="radio" id="did-key" name="form[did_method]" value="key" checked=true />
                    <label for="did-key"><strong>"did:key"</strong>{t("admin-issuer-form-did-key")}</label>
                </div>
                {did_web.then(|| view! {
                    <div class="radio">
                        <input type="radio" id="did-web" name="form[did_method]" value="web" />
                        <label for="did-web"><strong>"did:web"</strong>{t("admin-issuer-form-did-web")}</label>
                    </div>
                })}
            </fieldset>
        })}
    }
}

/// An image chosen by upload (JavaScript: uploads at once and previews) or by URL; the URL
/// goes into a normal form field, so the form still works before hydration.
#[component]
pub fn ImageField(
    /// Form field name.
    name: &'static str,
    /// The current URL.
    value: ReadSignal<String>,
    /// Sets it.
    set_value: WriteSignal<String>,
    /// Help text.
    #[prop(into)]
    hint: String,
    /// The last error of the form's action.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let (upload_error, set_upload_error) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let key = name;
    let mine = move || {
        upload_error.get().or_else(|| {
            error
                .get()
                .filter(|e| is_about(e, key))
                .map(|e| e.to_string())
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            set_busy.set(true);
            set_upload_error.set(None);
            leptos::task::spawn_local(async move {
                match crate::upload::image(file).await {
                    Ok(url) => set_value.set(url),
                    Err(e) => set_upload_error.set(Some(e)),
                }
                set_busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (ev, set_busy, set_upload_error, set_value);
        }
    };
    view! {
        <div class="field image-field" class:has-error=move || mine().is_some()>
            <div class="image-preview" aria-live="polite">
                {move || {
                    let url = value.get();
                    if url.is_empty() {
                        view! { <span class="image-empty">{t("admin-image-none")}</span> }.into_any()
                    } else {
                        view! { <img src=url alt=t("admin-image-chosen") width="96" height="96" /> }.into_any()
                    }
                }}
            </div>
            <div>
                <label for=format!("{name}-file")>{t("admin-image-upload")}</label>
                <p class="hint">{hint}</p>
                <input id=format!("{name}-file") type="file" accept="image/png,image/jpeg,image/webp,image/gif,image/svg+xml"
                    on:change=on_file data-testid="image-file" />
                {move || busy.get().then(|| view! { <p class="muted" role="status">{t("admin-image-uploading")}</p> })}
                <label for=format!("{name}-url") class="small-label">{t("admin-image-url")}</label>
                <input id=format!("{name}-url") name=name type="url" prop:value=value
                    on:input=move |ev| set_value.set(event_target_value(&ev)) placeholder="https://…" />
                <p class="field-error" aria-live="polite">{mine}</p>
            </div>
        </div>
    }
}
