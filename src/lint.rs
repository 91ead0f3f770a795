//! Lint levels, in clippy's vocabulary: an office or a reviewer decides per rule whether its
//! findings are dropped (`allow`), reported (`warn`) or block the export (`deny`).
//!
//! - Per rule: `--allow F-01`, `--warn P-01`, `--deny T-01`. `allow` drops the rule's findings,
//!   `warn` makes every one a warning, `deny` makes every one an error.
//! - The group `all-warnings` applies to every finding that is a warning *after* the per-rule
//!   levels, as rustc's `-D warnings` does: `deny` turns them into errors, `allow` drops them.
//!   `--strict` is `--deny all-warnings`, for reviewers (考核) who count every deviation.
//! - A `nianbao.toml` beside the inputs (or `--config FILE`) fixes an office's policy once:
//!
//!   ```toml
//!   [lints]
//!   "F-01" = "allow"
//!   all-warnings = "deny"
//!   ```
//!
//!   Flags given on the command line override the file. Between flags, `deny` wins over `warn`
//!   and `warn` over `allow` for the same rule.
//! - An unknown rule id is an error that lists the valid ones.

use crate::finding::{all_rule_ids, Finding, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The group that stands for every warning.
pub const ALL_WARNINGS: &str = "all-warnings";

/// The name of the configuration file looked for beside the inputs.
pub const CONFIG_FILE: &str = "nianbao.toml";

/// What happens to a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Dropped.
    Allow,
    /// Reported as warnings.
    Warn,
    /// Reported as errors (blocking the export).
    Deny,
}

impl LintLevel {
    /// The name used in flags, files and outputs: `allow`, `warn`, `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
        }
    }
}

/// A lint policy that cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// A rule id that is not in the catalogue.
    #[error("未知的规则 “{id}”（{origin}）；可用的规则：{valid} (unknown rule id)")]
    UnknownRule {
        /// The id as given.
        id: String,
        /// Where it was given: a flag or the configuration file.
        origin: String,
        /// Every valid id and group, comma-separated.
        valid: String,
    },
    /// The configuration file cannot be read.
    #[error("无法读取配置文件 {path} (cannot read the configuration file): {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid.
    #[error("配置文件 {path} 无效 (invalid configuration file): {source}")]
    Config {
        /// The file.
        path: PathBuf,
        /// The TOML error (with its line and column).
        #[source]
        source: toml::de::Error,
    },
}

/// The lint flags of a command line, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintFlags {
    /// `--deny RULE|all-warnings`.
    pub deny: Vec<String>,
    /// `--warn RULE|all-warnings`.
    pub warn: Vec<String>,
    /// `--allow RULE|all-warnings`.
    pub allow: Vec<String>,
    /// `--strict`: deny all warnings.
    pub strict: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    lints: BTreeMap<String, LintLevel>,
}

/// The levels in force: per rule and for the `all-warnings` group, and where they came from.
/// Serialisable, for `validate --format json` and the XLSX 校验 sheet. Empty means every rule at
/// its default level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LintLevels {
    /// Levels set by the configuration file or the flags, by rule id or `all-warnings`.
    pub levels: BTreeMap<String, LintLevel>,
    /// The configuration file read, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// Rule levels that adjust findings ([`LintPolicy::apply`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintPolicy {
    rules: BTreeMap<String, LintLevel>,
    all_warnings: Option<LintLevel>,
    config: Option<PathBuf>,
}

impl LintPolicy {
    /// The default policy: every rule at its catalogue severity.
    pub fn new() -> LintPolicy {
        LintPolicy::default()
    }

    /// The policy of a command line: the configuration file (if given), then the flags.
    ///
    /// ```
    /// use nianbao::lint::{LintFlags, LintPolicy};
    /// let flags = LintFlags { allow: vec!["F-01".into()], strict: true, ..Default::default() };
    /// let policy = LintPolicy::from_flags(&flags, None).unwrap();
    /// assert_eq!(policy.describe().levels.len(), 2);
    /// assert!(LintPolicy::from_flags(&LintFlags { deny: vec!["Z-99".into()], ..Default::default() }, None).is_err());
    /// ```
    ///
    /// # Errors
    /// [`LintError::UnknownRule`] for an id not in the catalogue; [`LintError::Io`] and
    /// [`LintError::Config`] for a configuration file that cannot be read or is not valid.
    pub fn from_flags(flags: &LintFlags, config: Option<&Path>) -> Result<LintPolicy, LintError> {
        let mut policy = match config {
            Some(path) => LintPolicy::from_file(path)?,
            None => LintPolicy::new(),
        };
        for (list, level, flag) in [
            (&flags.allow, LintLevel::Allow, "--allow"),
            (&flags.warn, LintLevel::Warn, "--warn"),
            (&flags.deny, LintLevel::Deny, "--deny"),
        ] {
            for id in list {
                policy.set(id, level, flag)?;
            }
        }
        if flags.strict {
            policy.set(ALL_WARNINGS, LintLevel::Deny, "--strict")?;
        }
        Ok(policy)
    }

    /// The policy of a configuration file's `[lints]` table.
    ///
    /// # Errors
    /// As [`LintPolicy::from_flags`].
    pub fn from_file(path: &Path) -> Result<LintPolicy, LintError> {
        let text = std::fs::read_to_string(path).map_err(|source| LintError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: ConfigFile = toml::from_str(&text).map_err(|source| LintError::Config {
            path: path.to_path_buf(),
            source,
        })?;
        let mut policy = LintPolicy {
            config: Some(path.to_path_buf()),
            ..LintPolicy::default()
        };
        for (id, level) in file.lints {
            policy.set(&id, level, &path.display().to_string())?;
        }
        Ok(policy)
    }

    /// The `nianbao.toml` in the directory of the first input that has one.
    pub fn config_beside(inputs: &[&Path]) -> Option<PathBuf> {
        inputs
            .iter()
            .filter_map(|p| p.parent())
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".").join(CONFIG_FILE)
                } else {
                    d.join(CONFIG_FILE)
                }
            })
            .find(|p| p.is_file())
    }

    /// Sets the level of a rule id or of `all-warnings`; `origin` names where it was given (a
    /// flag or a file) for the error message.
    ///
    /// # Errors
    /// [`LintError::UnknownRule`] for an id not in the catalogue.
    pub fn set(&mut self, id: &str, level: LintLevel, origin: &str) -> Result<(), LintError> {
        if id == ALL_WARNINGS {
            self.all_warnings = Some(level);
            return Ok(());
        }
        if !all_rule_ids().any(|r| r == id) {
            return Err(LintError::UnknownRule {
                id: id.to_string(),
                origin: origin.to_string(),
                valid: all_rule_ids()
                    .chain(std::iter::once(ALL_WARNINGS))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        self.rules.insert(id.to_string(), level);
        Ok(())
    }

    /// Applies the levels: per-rule levels first, then `all-warnings` to what is a warning.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut f| {
                match self.rules.get(&f.rule) {
                    Some(LintLevel::Allow) => return None,
                    Some(LintLevel::Warn) => f.severity = Severity::Warning,
                    Some(LintLevel::Deny) => f.severity = Severity::Error,
                    None => {}
                }
                if f.severity == Severity::Warning {
                    match self.all_warnings {
                        Some(LintLevel::Allow) => return None,
                        Some(LintLevel::Deny) => f.severity = Severity::Error,
                        _ => {}
                    }
                }
                Some(f)
            })
            .collect()
    }

    /// The levels in force, for outputs.
    pub fn describe(&self) -> LintLevels {
        let mut levels = self.rules.clone();
        if let Some(l) = self.all_warnings {
            levels.insert(ALL_WARNINGS.to_string(), l);
        }
        LintLevels {
            levels,
            config: self.config.as_ref().map(|p| p.display().to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity) -> Finding {
        Finding::new(rule, severity, "", "", "")
    }

    #[test]
    fn levels_follow_clippy() {
        let fs = vec![
            finding("F-01", Severity::Warning),
            finding("A-01", Severity::Error),
            finding("A-06", Severity::Info),
            finding("T-04", Severity::Warning),
        ];
        let strict = LintPolicy::from_flags(
            &LintFlags {
                strict: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
        let out = strict.apply(fs.clone());
        let sev: Vec<Severity> = out.iter().map(|f| f.severity).collect();
        assert_eq!(
            sev,
            [
                Severity::Error,
                Severity::Error,
                Severity::Info,
                Severity::Error
            ]
        );
        let mut p = LintPolicy::new();
        p.set("F-01", LintLevel::Allow, "test").unwrap();
        p.set("A-01", LintLevel::Warn, "test").unwrap();
        p.set("A-06", LintLevel::Deny, "test").unwrap();
        let out = p.apply(fs);
        let got: Vec<(&str, Severity)> =
            out.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
        assert_eq!(
            got,
            [
                ("A-01", Severity::Warning),
                ("A-06", Severity::Error),
                ("T-04", Severity::Warning)
            ]
        );
        let e = p.set("Z-99", LintLevel::Deny, "--deny").unwrap_err();
        assert!(
            e.to_string().contains("F-01") && e.to_string().contains(ALL_WARNINGS),
            "{e}"
        );
    }
}
