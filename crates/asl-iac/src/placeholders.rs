//! Finding `${Name}` placeholders in definition text, the way `Fn::Sub` and `DefinitionSubstitutions` read them.

/// The distinct placeholder names in `text`, in order of first appearance.
///
/// `${!Literal}` is the `Fn::Sub` escape for a literal `${Literal}` and is not a placeholder.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        let name = &after[..end];
        if !name.is_empty()
            && !name.starts_with('!')
            && !name.contains(['{', '\n', '"'])
            && !names.iter().any(|n| n == name)
        {
            names.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    names
}

/// What an implicit `Fn::Sub` reference means: `${AWS::Region}` and `${Param}` are `Ref`s, `${Res.Attr}` a `GetAtt`.
pub(crate) fn implicit_reference(name: &str) -> serde_json::Value {
    if !name.starts_with("AWS::")
        && let Some((resource, attribute)) = name.split_once('.')
    {
        return serde_json::json!({ "Fn::GetAtt": [resource, attribute] });
    }
    serde_json::json!({ "Ref": name })
}

/// Replaces each `${name}` for which `value` returns a string; other placeholders are left as they are.
pub(crate) fn substitute(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let replaced = after.find('}').and_then(|end| {
            let name = &after[..end];
            value(name).map(|v| (v, end))
        });
        match replaced {
            Some((v, end)) => {
                out.push_str(&v);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
