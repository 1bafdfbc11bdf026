//! Readable labels: Task integrations from their Resource and summaries of Choice rules.

use serde_json::Value;

/// A Task's integration, as shown under the state name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Integration {
    /// For example "Lambda: Invoke", "DynamoDB: GetItem" or "Activity".
    pub label: String,
    /// The integration pattern, for example "(sync)" or "(wait for callback)".
    pub suffix: Option<String>,
    /// The icon for the service.
    pub icon: &'static str,
}

/// Describes the integration behind a Task's `Resource`.
pub fn integration(resource: Option<&Value>) -> Integration {
    let Some(resource) = resource.and_then(Value::as_str) else {
        return Integration {
            label: "Task".into(),
            suffix: None,
            icon: "task",
        };
    };
    let parts: Vec<&str> = resource.split(':').collect();
    // Managed integrations look like arn:aws:states:::service:action[.pattern].
    if parts.len() >= 6 && parts[0] == "arn" && parts[2] == "states" && parts[3].is_empty() {
        let rest = &parts[5..];
        if rest.first() == Some(&"aws-sdk") && rest.len() >= 3 {
            let (action, suffix) = split_pattern(&rest[2..].join(":"));
            return Integration {
                label: format!("{}: {}", service_name(rest[1]), pascal(&action)),
                suffix,
                icon: service_icon(rest[1]),
            };
        }
        if rest.len() >= 2 {
            let (action, suffix) = split_pattern(&rest[1..].join(":"));
            return Integration {
                label: format!("{}: {}", service_name(rest[0]), pascal(&action)),
                suffix,
                icon: service_icon(rest[0]),
            };
        }
    }
    if parts.len() >= 6 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" {
        return Integration {
            label: "Activity".into(),
            suffix: None,
            icon: "activity",
        };
    }
    if parts.len() >= 6 && parts[0] == "arn" && parts[2] == "lambda" {
        return Integration {
            label: "Lambda: Invoke".into(),
            suffix: None,
            icon: "lambda",
        };
    }
    Integration {
        label: "Task".into(),
        suffix: None,
        icon: "task",
    }
}

/// Splits `startExecution.sync:2` into the action and a readable pattern suffix.
fn split_pattern(action: &str) -> (String, Option<String>) {
    if let Some((name, pattern)) = action.split_once('.') {
        let suffix = if pattern.starts_with("sync") {
            Some("(sync)".to_string())
        } else if pattern.starts_with("waitForTaskToken") {
            Some("(wait for callback)".to_string())
        } else {
            Some(format!("({pattern})"))
        };
        (name.to_string(), suffix)
    } else {
        (action.to_string(), None)
    }
}

/// Upper-cases the first letter of an API action (`getItem` becomes `GetItem`).
fn pascal(action: &str) -> String {
    let mut chars = action.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The display name of a service from its identifier in a Resource.
fn service_name(id: &str) -> String {
    let known = match id {
        "lambda" => "Lambda",
        "sns" => "SNS",
        "sqs" => "SQS",
        "dynamodb" => "DynamoDB",
        "states" | "sfn" => "Step Functions",
        "http" => "HTTP",
        "ecs" => "ECS",
        "eks" => "EKS",
        "batch" => "Batch",
        "glue" => "Glue",
        "glue-databrew" | "databrew" => "DataBrew",
        "sagemaker" => "SageMaker",
        "events" | "eventbridge" => "EventBridge",
        "athena" => "Athena",
        "elasticmapreduce" | "emr" => "EMR",
        "emr-containers" => "EMR on EKS",
        "emr-serverless" => "EMR Serverless",
        "codebuild" => "CodeBuild",
        "apigateway" => "API Gateway",
        "bedrock" => "Bedrock",
        "mediaconvert" => "MediaConvert",
        "s3" => "S3",
        "ec2" => "EC2",
        "iam" => "IAM",
        "kms" => "KMS",
        "rds" => "RDS",
        "sts" => "STS",
        "ssm" => "Systems Manager",
        "secretsmanager" => "Secrets Manager",
        "cloudwatch" => "CloudWatch",
        "cloudwatchlogs" => "CloudWatch Logs",
        "cloudformation" => "CloudFormation",
        "kinesis" => "Kinesis",
        "firehose" => "Data Firehose",
        "ses" | "sesv2" => "SES",
        "eventbridgescheduler" | "scheduler" => "EventBridge Scheduler",
        "textract" => "Textract",
        "comprehend" => "Comprehend",
        "rekognition" => "Rekognition",
        "translate" => "Translate",
        "bedrockagentruntime" => "Bedrock Agent Runtime",
        "bedrockruntime" => "Bedrock Runtime",
        _ => "",
    };
    if known.is_empty() {
        pascal(id)
    } else {
        known.to_string()
    }
}

/// The icon identifier for a service.
fn service_icon(id: &str) -> &'static str {
    match id {
        "lambda" => "lambda",
        "sns" => "sns",
        "sqs" => "sqs",
        "dynamodb" => "dynamodb",
        "states" | "sfn" => "states",
        "http" => "http",
        _ => "aws-sdk",
    }
}

/// How many characters of an edge label are shown before it is cut.
pub const LABEL_MAX_CHARS: usize = 28;

/// Bounds the work done on absurdly deep rules; deeper parts show as an ellipsis.
const MAX_RULE_DEPTH: usize = 8;

/// Summarises a Choice rule: `$.credit >= 5000`, `And($.a == "x", …)` or a JSONata condition.
pub fn choice_rule_summary(rule: &Value) -> String {
    summary(rule, 0)
}

fn summary(rule: &Value, depth: usize) -> String {
    if depth > MAX_RULE_DEPTH {
        return "…".into();
    }
    let Some(obj) = rule.as_object() else {
        return compact(rule);
    };
    if let Some(cond) = obj.get("Condition") {
        return match cond.as_str() {
            Some(text) => strip_jsonata(text),
            None => compact(cond),
        };
    }
    for (key, word) in [("And", "And"), ("Or", "Or")] {
        if let Some(list) = obj.get(key) {
            let inner: Vec<String> = match list.as_array() {
                Some(items) => items.iter().map(|r| summary(r, depth + 1)).collect(),
                None => vec![compact(list)],
            };
            return format!("{word}({})", inner.join(", "));
        }
    }
    if let Some(inner) = obj.get("Not") {
        return format!("not({})", summary(inner, depth + 1));
    }
    let variable = obj.get("Variable").and_then(Value::as_str).unwrap_or("?");
    for (key, value) in obj {
        if let Some(text) = comparison(variable, key, value) {
            return text;
        }
    }
    variable.to_string()
}

/// Renders one comparison operator, or returns `None` when `key` is not an operator.
fn comparison(variable: &str, key: &str, value: &Value) -> Option<String> {
    let (base, is_path) = match key.strip_suffix("Path") {
        Some(base) if base != "Variable" && !base.is_empty() => (base, true),
        _ => (key, false),
    };
    let shown = if is_path {
        value
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| compact(value))
    } else {
        compact(value)
    };
    let test = |what: &str| {
        if value == &Value::Bool(false) {
            format!("{variable} is not {what}")
        } else {
            format!("{variable} is {what}")
        }
    };
    let op = match base {
        "StringEquals" | "NumericEquals" | "BooleanEquals" | "TimestampEquals" => "==",
        "StringLessThan" | "NumericLessThan" | "TimestampLessThan" => "<",
        "StringGreaterThan" | "NumericGreaterThan" | "TimestampGreaterThan" => ">",
        "StringLessThanEquals" | "NumericLessThanEquals" | "TimestampLessThanEquals" => "<=",
        "StringGreaterThanEquals" | "NumericGreaterThanEquals" | "TimestampGreaterThanEquals" => {
            ">="
        }
        "StringMatches" => "matches",
        "IsNull" => return Some(test("null")),
        "IsPresent" => return Some(test("present")),
        "IsNumeric" => return Some(test("numeric")),
        "IsString" => return Some(test("string")),
        "IsBoolean" => return Some(test("boolean")),
        "IsTimestamp" => return Some(test("timestamp")),
        _ => return None,
    };
    Some(format!("{variable} {op} {shown}"))
}

/// Removes the `{% %}` delimiters of a JSONata expression.
fn strip_jsonata(text: &str) -> String {
    let trimmed = text.trim();
    match trimmed
        .strip_prefix("{%")
        .and_then(|t| t.strip_suffix("%}"))
    {
        Some(inner) => inner.trim().to_string(),
        None => trimmed.to_string(),
    }
}

/// A short, single-line rendering of any JSON value.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 200 {
        crate::text::truncate_chars(&text, 200)
    } else {
        text
    }
}

/// Joins a catcher's error names (`States.ALL`, `MyError`) for its edge label.
pub fn catch_label(catcher: &Value) -> String {
    match catcher.get("ErrorEquals") {
        Some(Value::Array(errors)) => {
            let names: Vec<String> = errors
                .iter()
                .map(|e| e.as_str().map(str::to_string).unwrap_or_else(|| compact(e)))
                .collect();
            if names.is_empty() {
                "Catch".into()
            } else {
                names.join(", ")
            }
        }
        Some(other) => compact(other),
        None => "Catch".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integrations() {
        let cases = [
            ("arn:aws:states:::lambda:invoke", "Lambda: Invoke", None),
            (
                "arn:aws:states:::sns:publish.waitForTaskToken",
                "SNS: Publish",
                Some("(wait for callback)"),
            ),
            (
                "arn:aws:states:::dynamodb:getItem",
                "DynamoDB: GetItem",
                None,
            ),
            ("arn:aws:states:::sqs:sendMessage", "SQS: SendMessage", None),
            (
                "arn:aws:states:::states:startExecution.sync:2",
                "Step Functions: StartExecution",
                Some("(sync)"),
            ),
            ("arn:aws:states:::http:invoke", "HTTP: Invoke", None),
            (
                "arn:aws:states:us-east-1:123456789012:activity:Worker",
                "Activity",
                None,
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:Fn",
                "Lambda: Invoke",
                None,
            ),
            (
                "arn:aws:states:::aws-sdk:s3:listObjectsV2",
                "S3: ListObjectsV2",
                None,
            ),
            (
                "arn:aws:states:::aws-sdk:secretsmanager:getSecretValue",
                "Secrets Manager: GetSecretValue",
                None,
            ),
            ("nonsense", "Task", None),
        ];
        for (resource, label, suffix) in cases {
            let got = integration(Some(&json!(resource)));
            assert_eq!(got.label, label, "{resource}");
            assert_eq!(got.suffix.as_deref(), suffix, "{resource}");
        }
        assert_eq!(integration(Some(&json!(5))).label, "Task");
        assert_eq!(integration(None).label, "Task");
    }

    #[test]
    fn rules() {
        let cases = [
            (
                json!({"Variable": "$.credit", "NumericGreaterThanEquals": 5000}),
                "$.credit >= 5000",
            ),
            (
                json!({"Variable": "$.a", "StringEquals": "x"}),
                "$.a == \"x\"",
            ),
            (
                json!({"Variable": "$.a", "StringEqualsPath": "$.b"}),
                "$.a == $.b",
            ),
            (
                json!({"Variable": "$.a", "IsPresent": false}),
                "$.a is not present",
            ),
            (
                json!({"Not": {"Variable": "$.a", "BooleanEquals": true}}),
                "not($.a == true)",
            ),
            (
                json!({"And": [{"Variable": "$.a", "NumericLessThan": 1}, {"Variable": "$.b", "StringMatches": "x*"}]}),
                "And($.a < 1, $.b matches \"x*\")",
            ),
            (
                json!({"Condition": "{% $states.input.n > 3 %}"}),
                "$states.input.n > 3",
            ),
            (json!({"Variable": "$.a"}), "$.a"),
            (json!(17), "17"),
        ];
        for (rule, text) in cases {
            assert_eq!(choice_rule_summary(&rule), text);
        }
    }
}
