//! Checking a whole form before saying anything: every field is checked, and every problem
//! is reported at once (one submit shows the shopper all three mistakes, not the first).

use super::{AppError, AppResult};
use serde::{Deserialize, Serialize};

/// What is wrong with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// The title of a form's error summary.
pub fn summary_title(count: usize) -> String {
    match count {
        1 => "There is a problem with 1 field.".into(),
        n => format!("There are problems with {n} fields."),
    }
}

/// The problems found so far in a form. Each field's check goes through `take`, which keeps
/// the value when it passed; `finish` then fails with every problem, or passes.
#[derive(Debug, Default)]
pub struct Problems {
    fields: Vec<FieldProblem>,
    /// The first error that is about no field (it is what `finish` returns).
    whole: Option<AppError>,
}

impl Problems {
    /// The checked value, or (when the check failed) its default with the problem kept.
    /// An error that is about no field is kept as it is and returned by `finish` first.
    pub fn take<T: Default>(&mut self, checked: AppResult<T>) -> T {
        self.keep(checked).unwrap_or_default()
    }

    /// The checked value, or `None` with the problem kept.
    pub fn keep<T>(&mut self, checked: AppResult<T>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(error) => {
                self.add_error(error);
                None
            }
        }
    }

    /// A problem with `field`, unless that field already has one (the first is the clearest).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if !self.has(&field) {
            self.fields.push(FieldProblem {
                field,
                message: message.into(),
            });
        }
    }

    fn add_error(&mut self, error: AppError) {
        match error {
            AppError::Invalid { field, message } => self.add(field, message),
            AppError::Fields(problems) => {
                for p in problems {
                    self.add(p.field, p.message);
                }
            }
            other => {
                self.whole.get_or_insert(other);
            }
        }
    }

    /// Whether `field` has a problem already (a later check that depends on it can skip).
    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|p| p.field == field)
    }

    /// Passes when nothing was wrong; otherwise one error naming every field.
    pub fn finish(mut self) -> AppResult<()> {
        if let Some(whole) = self.whole {
            return Err(whole);
        }
        match self.fields.len() {
            0 => Ok(()),
            1 => {
                let FieldProblem { field, message } = self.fields.remove(0);
                Err(AppError::Invalid { field, message })
            }
            _ => Err(AppError::Fields(self.fields)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_name(name: &str) -> AppResult<String> {
        if name.is_empty() {
            Err(AppError::invalid("name", "Enter a name."))
        } else {
            Ok(name.into())
        }
    }

    #[test]
    fn every_problem_is_reported_at_once_and_each_field_finds_its_own() {
        let mut problems = Problems::default();
        let name = problems.take(check_name(""));
        problems.add("city", "Enter a city.");
        problems.add("postal_code", "Enter a ZIP code like 94107.");
        problems.add("city", "A second problem with the city is not shown.");
        assert_eq!(name, "");
        let error = problems.finish().unwrap_err();
        assert_eq!(error.status(), 400);
        assert_eq!(error.for_field("name"), Some("Enter a name."));
        assert_eq!(error.for_field("city"), Some("Enter a city."));
        assert_eq!(
            error.for_field("postal_code"),
            Some("Enter a ZIP code like 94107.")
        );
        assert_eq!(error.field_problems().count(), 3);
        assert_eq!(error.to_string(), "There are problems with 3 fields.");
    }

    #[test]
    fn one_problem_is_an_ordinary_field_error_and_none_passes() {
        let mut problems = Problems::default();
        assert_eq!(problems.take(check_name("Ada")), "Ada");
        assert!(Problems::default().finish().is_ok());
        problems.add("city", "Enter a city.");
        assert_eq!(
            problems.finish().unwrap_err(),
            AppError::invalid("city", "Enter a city.")
        );
    }

    #[test]
    fn an_error_about_no_field_wins() {
        let mut problems = Problems::default();
        problems.add("city", "Enter a city.");
        problems.take::<String>(Err(AppError::BadRequest("Unknown form.".into())));
        assert_eq!(
            problems.finish().unwrap_err(),
            AppError::BadRequest("Unknown form.".into())
        );
    }
}
