//! The attributes Badge Engine really stores, as RFC 7643 schema definitions. They drive the
//! `/Schemas` document, case-insensitive attribute names, unknown-attribute errors, filter
//! validation and PATCH mutability checks, so what we advertise is what we do.

use serde_json::{Value, json};

/// Core User schema URN.
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Enterprise User extension URN.
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// Core Group schema URN.
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Entra adds this schema to group creates; it defines nothing we store, so it is tolerated.
pub const ENTRA_GROUP: &str =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
/// List response message URN.
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// PATCH message URN.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Error message URN.
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// RFC 7643 attribute data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `dateTime`.
    DateTime,
    /// `reference`.
    Reference,
    /// `complex`.
    Complex,
}

/// RFC 7643 mutability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    /// Set by the service provider only.
    ReadOnly,
    /// Client-writable.
    ReadWrite,
    /// Set once.
    Immutable,
}

/// One attribute definition.
#[derive(Debug, Clone, Copy)]
pub struct Attr {
    /// Canonical name.
    pub name: &'static str,
    /// Data type.
    pub ty: AttrType,
    /// Multi-valued?
    pub multi: bool,
    /// Required on create/replace?
    pub required: bool,
    /// Case-sensitive comparisons?
    pub case_exact: bool,
    /// Who may write it.
    pub mutability: Mutability,
    /// `server` uniqueness?
    pub unique: bool,
    /// Sub-attributes of a complex attribute.
    pub sub: &'static [Attr],
    /// One-line description for `/Schemas`.
    pub description: &'static str,
}

const fn s(name: &'static str, description: &'static str) -> Attr {
    Attr {
        name,
        ty: AttrType::String,
        multi: false,
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        unique: false,
        sub: &[],
        description,
    }
}

const fn b(name: &'static str, description: &'static str) -> Attr {
    Attr {
        ty: AttrType::Boolean,
        ..s(name, description)
    }
}

const fn complex(name: &'static str, sub: &'static [Attr], description: &'static str) -> Attr {
    Attr {
        ty: AttrType::Complex,
        sub,
        ..s(name, description)
    }
}

const fn multi(name: &'static str, sub: &'static [Attr], description: &'static str) -> Attr {
    Attr {
        multi: true,
        ..complex(name, sub, description)
    }
}

const fn read_only(a: Attr) -> Attr {
    Attr {
        mutability: Mutability::ReadOnly,
        ..a
    }
}

const TYPED_VALUE: [Attr; 4] = [
    s("value", "The value."),
    s("display", "A human-readable name."),
    s("type", "A label such as work or home."),
    b("primary", "The primary value."),
];

const ADDRESS: [Attr; 8] = [
    s("formatted", "The full mailing address."),
    s("streetAddress", "Street."),
    s("locality", "City."),
    s("region", "State or region."),
    s("postalCode", "Postal code."),
    s("country", "Country."),
    s("type", "A label such as work or home."),
    b("primary", "The primary address."),
];

const NAME: [Attr; 2] = [
    s("familyName", "Family name."),
    s("givenName", "Given name."),
];

/// Attributes common to every resource (RFC 7643 §3.1).
pub const COMMON: [Attr; 3] = [
    Attr {
        case_exact: true,
        unique: true,
        ..read_only(s("id", "Service-provider id (a UUID)."))
    },
    Attr {
        case_exact: true,
        ..s("externalId", "The client's id (Entra object id).")
    },
    read_only(complex(
        "meta",
        &[
            s("resourceType", "User or Group."),
            Attr {
                ty: AttrType::DateTime,
                ..s("created", "Creation time.")
            },
            Attr {
                ty: AttrType::DateTime,
                ..s("lastModified", "Last change.")
            },
            Attr {
                ty: AttrType::Reference,
                ..s("location", "URI of the resource.")
            },
            Attr {
                case_exact: true,
                ..s("version", "Weak ETag.")
            },
        ],
        "Resource metadata.",
    )),
];

/// Core User attributes Badge Engine stores.
pub const USER_ATTRS: [Attr; 12] = [
    Attr {
        required: true,
        unique: true,
        ..s("userName", "Unique sign-in name (case-insensitive).")
    },
    complex("name", &NAME, "The user's name."),
    s("displayName", "Name shown in the UI."),
    s("title", "Job title."),
    s("userType", "Kind of user."),
    s("preferredLanguage", "Preferred language."),
    s("locale", "Locale."),
    s("timezone", "Time zone."),
    // Always has a value (true unless sent false), so it cannot be removed; a missing value
    // on create means true.
    Attr {
        required: true,
        ..b(
            "active",
            "May sign in; false ends sessions, awards stay valid. Defaults to true.",
        )
    },
    multi(
        "emails",
        &TYPED_VALUE,
        "E-mail addresses; the primary one is the sign-in e-mail.",
    ),
    multi("phoneNumbers", &TYPED_VALUE, "Phone numbers."),
    multi("addresses", &ADDRESS, "Postal addresses."),
];

/// Enterprise User extension attributes Badge Engine stores.
pub const ENTERPRISE_ATTRS: [Attr; 6] = [
    s("employeeNumber", "Employee number."),
    s("costCenter", "Cost center."),
    s("organization", "Organization."),
    s("division", "Division."),
    s("department", "Department."),
    complex(
        "manager",
        &[
            Attr {
                case_exact: true,
                ..s("value", "The manager's id.")
            },
            Attr {
                ty: AttrType::Reference,
                ..s("$ref", "URI of the manager (value wins).")
            },
            read_only(s("displayName", "Manager's display name.")),
        ],
        "The user's manager.",
    ),
];

/// Core Group attributes.
pub const GROUP_ATTRS: [Attr; 2] = [
    Attr {
        required: true,
        unique: true,
        ..s("displayName", "Unique group name (case-insensitive).")
    },
    multi(
        "members",
        &[
            Attr {
                case_exact: true,
                mutability: Mutability::Immutable,
                ..s("value", "Member user id.")
            },
            Attr {
                ty: AttrType::Reference,
                mutability: Mutability::Immutable,
                ..s("$ref", "URI of the member (value wins).")
            },
        ],
        "Member users.",
    ),
];

/// RFC 7643 attributes we accept and ignore (Entra sends some by default, e.g. `roles: []`,
/// `name.formatted`, members' `display` / `type`); anything else unknown is refused.
/// Lower-case; only consulted for names the schema does not define at that level.
const IGNORED: [&str; 15] = [
    "nickname",
    "profileurl",
    "password",
    "ims",
    "photos",
    "entitlements",
    "roles",
    "x509certificates",
    "groups",
    "middlename",
    "honorificprefix",
    "honorificsuffix",
    "formatted",
    "display",
    "type",
];

/// Whether an unknown attribute name is one we silently accept (see [`IGNORED`]).
pub fn is_ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    IGNORED.contains(&lower.as_str())
}

/// A resource type's schema: core attributes plus an optional extension.
#[derive(Debug, Clone, Copy)]
pub struct ResourceSchema {
    /// `User` or `Group`.
    pub name: &'static str,
    /// Core schema URN.
    pub core: &'static str,
    /// Core attributes (without the common ones).
    pub attrs: &'static [Attr],
    /// Extension URN and attributes.
    pub extension: Option<(&'static str, &'static [Attr])>,
    /// Other schema URNs clients may list without error.
    pub tolerated: &'static [&'static str],
}

/// The User resource type.
pub const USER_SCHEMA: ResourceSchema = ResourceSchema {
    name: "User",
    core: USER,
    attrs: &USER_ATTRS,
    extension: Some((ENTERPRISE_USER, &ENTERPRISE_ATTRS)),
    tolerated: &[],
};

/// The Group resource type.
pub const GROUP_SCHEMA: ResourceSchema = ResourceSchema {
    name: "Group",
    core: GROUP,
    attrs: &GROUP_ATTRS,
    extension: None,
    tolerated: &[ENTRA_GROUP],
};

/// Finds an attribute case-insensitively in `attrs`.
pub fn find<'a>(attrs: &'a [Attr], name: &str) -> Option<&'a Attr> {
    attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

impl ResourceSchema {
    /// A core (or common) attribute by name, case-insensitively.
    pub fn core_attr(&self, name: &str) -> Option<&'static Attr> {
        find(&COMMON, name).or_else(|| find(self.attrs, name))
    }

    /// The extension URN when `urn` names it (case-insensitively).
    pub fn extension_urn(&self, urn: &str) -> Option<&'static str> {
        self.extension
            .map(|(u, _)| u)
            .filter(|u| u.eq_ignore_ascii_case(urn))
    }

    /// An attribute of the schema `urn` (core when `None`).
    pub fn attr(&self, urn: Option<&str>, name: &str) -> Option<&'static Attr> {
        match urn {
            // Unqualified extension names (`department`) are unambiguous here, so accept them.
            None => self
                .core_attr(name)
                .or_else(|| self.extension.and_then(|(_, attrs)| find(attrs, name))),
            Some(u) if u.eq_ignore_ascii_case(self.core) => self.core_attr(name),
            Some(u) => match self.extension {
                Some((ext, attrs)) if ext.eq_ignore_ascii_case(u) => find(attrs, name),
                _ => None,
            },
        }
    }

    /// Splits `urn:…:attr` into its schema URN and the attribute path, when it starts with a
    /// known schema URN followed by `:`.
    pub fn split_urn<'p>(&self, path: &'p str) -> Option<(&'static str, &'p str)> {
        let mut known = vec![self.core];
        if let Some((ext, _)) = self.extension {
            known.push(ext);
        }
        known.into_iter().find_map(|urn| {
            let head = path.get(..urn.len())?;
            let rest = path.get(urn.len()..)?;
            if !head.eq_ignore_ascii_case(urn) {
                return None;
            }
            rest.strip_prefix(':').map(|r| (urn, r))
        })
    }

    /// Whether `urn` may appear in a request's `schemas`.
    pub fn accepts_schema(&self, urn: &str) -> bool {
        urn.eq_ignore_ascii_case(self.core)
            || self.extension_urn(urn).is_some()
            || self.tolerated.iter().any(|t| t.eq_ignore_ascii_case(urn))
    }
}

fn attr_json(a: &Attr) -> Value {
    let ty = match a.ty {
        AttrType::String => "string",
        AttrType::Boolean => "boolean",
        AttrType::DateTime => "dateTime",
        AttrType::Reference => "reference",
        AttrType::Complex => "complex",
    };
    let mutability = match a.mutability {
        Mutability::ReadOnly => "readOnly",
        Mutability::ReadWrite => "readWrite",
        Mutability::Immutable => "immutable",
    };
    let mut v = json!({
        "name": a.name,
        "type": ty,
        "multiValued": a.multi,
        "description": a.description,
        "required": a.required,
        "caseExact": a.case_exact,
        "mutability": mutability,
        "returned": if a.name == "id" { "always" } else { "default" },
        "uniqueness": if a.unique { "server" } else { "none" },
    });
    if a.ty == AttrType::Reference {
        v["referenceTypes"] = json!(if a.name == "location" {
            vec!["uri"]
        } else {
            vec!["User"]
        });
    }
    if !a.sub.is_empty() {
        v["subAttributes"] = Value::Array(a.sub.iter().map(attr_json).collect());
    }
    v
}

/// One `/Schemas` entry.
pub fn schema_document(
    id: &str,
    name: &str,
    description: &str,
    attrs: &[Attr],
    base: &str,
) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attrs.iter().map(attr_json).collect::<Vec<_>>(),
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{id}") },
    })
}

/// All `/Schemas` entries; `id` and `meta` are common attributes and not listed (RFC 7643 §7).
pub fn schema_documents(base: &str) -> Vec<Value> {
    let mut user_attrs = vec![COMMON[1]];
    user_attrs.extend_from_slice(&USER_ATTRS);
    let mut group_attrs = vec![COMMON[1]];
    group_attrs.extend_from_slice(&GROUP_ATTRS);
    vec![
        schema_document(USER, "User", "User account", &user_attrs, base),
        schema_document(
            ENTERPRISE_USER,
            "EnterpriseUser",
            "Enterprise User",
            &ENTERPRISE_ATTRS,
            base,
        ),
        schema_document(GROUP, "Group", "Group", &group_attrs, base),
    ]
}
