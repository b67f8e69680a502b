//! Findings of one file, located by line.

use super::rules::Rule;

/// One finding: where, which rule, about what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// 1-based line.
    pub(crate) line: usize,
    pub(crate) rule: Rule,
    pub(crate) subject: String,
}

/// Collects findings of one source text and turns byte offsets into line numbers.
#[derive(Debug)]
pub(crate) struct Findings {
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    items: Vec<Finding>,
}

impl Findings {
    pub(crate) fn new(source: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(index, _)| index + 1))
            .collect();

        Self {
            line_starts,
            items: Vec::new(),
        }
    }

    /// Returns the 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset)
    }

    /// Records a finding at a byte offset.
    pub(crate) fn push(&mut self, offset: usize, rule: Rule, subject: &str) {
        let line = self.line_of(offset);
        self.push_line(line, rule, subject);
    }

    /// Records a finding at a line.
    pub(crate) fn push_line(&mut self, line: usize, rule: Rule, subject: &str) {
        self.items.push(Finding {
            line,
            rule,
            subject: subject.to_owned(),
        });
    }

    /// Adds the findings of a text that starts at byte `offset` of this one.
    pub(crate) fn absorb(&mut self, inner: Self, offset: usize) {
        let first_line = self.line_of(offset);
        for mut finding in inner.items {
            finding.line += first_line - 1;
            self.items.push(finding);
        }
    }

    pub(crate) fn into_vec(self) -> Vec<Finding> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let findings = Findings::new("ab\ncd\n\nef");
        assert_eq!(findings.line_of(0), 1);
        assert_eq!(findings.line_of(2), 1);
        assert_eq!(findings.line_of(3), 2);
        assert_eq!(findings.line_of(6), 3);
        assert_eq!(findings.line_of(7), 4);
    }

    #[test]
    fn absorbed_findings_shift_lines() {
        let mut outer = Findings::new("a\nb\n<wxs>\nx\n</wxs>");
        let mut inner = Findings::new("\nx\n");
        inner.push(1, Rule::CloudSdk, "x");
        outer.absorb(inner, 9);

        assert_eq!(outer.into_vec()[0].line, 4);
    }
}
