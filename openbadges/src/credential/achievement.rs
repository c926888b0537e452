//! OB 3.0 `Achievement`: what is recognised, with criteria and result descriptions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{Alignment, IdentifierEntry, ImageRef, Types, types};
use super::endorsement::EndorsementCredential;
use super::profile::Profile;

/// The `AchievementType` vocabulary of OB 3.0 (extensions use an `ext:` prefix).
pub const ACHIEVEMENT_TYPES: &[&str] = &[
    "Achievement",
    "ApprenticeshipCertificate",
    "Assessment",
    "Assignment",
    "AssociateDegree",
    "Award",
    "Badge",
    "BachelorDegree",
    "Certificate",
    "CertificateOfCompletion",
    "Certification",
    "CommunityService",
    "Competency",
    "Course",
    "CoCurricular",
    "Degree",
    "Diploma",
    "DoctoralDegree",
    "Fieldwork",
    "GeneralEducationDevelopment",
    "JourneymanCertificate",
    "LearningProgram",
    "License",
    "Membership",
    "ProfessionalDoctorate",
    "QualityAssuranceCredential",
    "MasterCertificate",
    "MasterDegree",
    "MicroCredential",
    "ResearchDoctorate",
    "SecondarySchoolDiploma",
];

/// The `ResultType` vocabulary of OB 3.0 (extensions use an `ext:` prefix).
pub const RESULT_TYPES: &[&str] = &[
    "GradePointAverage",
    "LetterGrade",
    "Percent",
    "PerformanceLevel",
    "PredictedScore",
    "RawScore",
    "Result",
    "RubricCriterion",
    "RubricCriterionLevel",
    "RubricScore",
    "ScaledScore",
    "Status",
];

/// OB 3.0 `Criteria`: how the achievement is earned.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Criteria {
    /// URL of a page describing the criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Markdown narrative of the criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `Related`: another version or language of this achievement.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    /// The related achievement's id.
    pub id: String,
    /// Must include `Related`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Its language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// Its version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `RubricCriterionLevel`: one level of a rubric.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RubricCriterionLevel {
    /// Identifier, referenced by `Result.achievedLevel`.
    pub id: String,
    /// Must include `RubricCriterionLevel`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Level name.
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Level label (e.g. "Distinguished").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Points (a string in OB 3.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<String>,
    /// Alignments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `ResultDescription`: a result the achievement can record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDescription {
    /// Identifier, referenced by `Result.resultDescription`.
    pub id: String,
    /// Must include `ResultDescription`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Name.
    pub name: String,
    /// Kind of result (`ResultType` vocabulary or `ext:…`).
    pub result_type: String,
    /// Allowed values for `LetterGrade`-like results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_value: Option<Vec<String>>,
    /// Required rubric level id to earn the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_level: Option<String>,
    /// Required value to earn the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_value: Option<String>,
    /// Rubric levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rubric_criterion_level: Option<Vec<RubricCriterionLevel>>,
    /// Maximum value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_max: Option<String>,
    /// Minimum value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_min: Option<String>,
    /// Alignments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// OB 3.0 `Achievement`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Achievement {
    /// Identifier (a URL of the achievement definition).
    pub id: String,
    /// Must include `Achievement`.
    #[serde(rename = "type")]
    pub type_: Types,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// How to earn it.
    pub criteria: Criteria,
    /// Kind of achievement (`AchievementType` vocabulary or `ext:…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement_type: Option<String>,
    /// Badge image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageRef>,
    /// Alignments to frameworks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alignment: Option<Vec<Alignment>>,
    /// Who created the achievement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<Box<Profile>>,
    /// Credits available (typed `xsd:float` by the context).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits_available: Option<f64>,
    /// Endorsements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Vec<EndorsementCredential>>,
    /// Field of study.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_of_study: Option<String>,
    /// Human-readable code (e.g. a course code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    /// Specialisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specialization: Option<String>,
    /// Language (BCP 47).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// Version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Related achievements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<Related>>,
    /// Results that can be recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_description: Option<Vec<ResultDescription>>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<Vec<String>>,
    /// Other identifiers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_identifier: Option<Vec<IdentifierEntry>>,
    /// Unknown properties, kept for round-tripping.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Achievement {
    /// An achievement with the required properties.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        description: impl Into<String>,
        criteria_narrative: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            type_: types(&["Achievement"]),
            name: name.into(),
            description: description.into(),
            criteria: Criteria {
                narrative: Some(criteria_narrative.into()),
                ..Criteria::default()
            },
            ..Self::default()
        }
    }
}
