//! The Task `Resource` string, classified.

/// How a service integration waits for its task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntegrationPattern {
    /// Call the API and continue (no suffix).
    RequestResponse,
    /// `.sync`: wait for the job to complete.
    Sync,
    /// `.sync:2`: wait for the job, JSON output.
    Sync2,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    WaitForTaskToken,
}

/// What a Task state calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// A Lambda function ARN, `arn:aws:lambda:<region>:<account>:function:<name>`.
    LambdaFunction(String),
    /// An activity ARN, `arn:aws:states:<region>:<account>:activity:<name>`.
    Activity(String),
    /// An optimized integration, `arn:aws:states:::<service>:<action>[.sync[:2]|.waitForTaskToken]`.
    Integration {
        /// The service, e.g. `lambda` or `sqs`.
        service: String,
        /// The action without the pattern suffix, e.g. `invoke`.
        action: String,
        /// The integration pattern.
        pattern: IntegrationPattern,
    },
    /// An AWS SDK integration, `arn:aws:states:::aws-sdk:<service>:<action>`.
    AwsSdk {
        /// The service, e.g. `s3`.
        service: String,
        /// The action without the pattern suffix, e.g. `getObject`.
        action: String,
        /// The integration pattern.
        pattern: IntegrationPattern,
    },
    /// The HTTP Task, `arn:aws:states:::http:invoke`.
    HttpInvoke,
    /// Anything else (kept verbatim; the validator decides whether it is acceptable).
    Other(String),
}

fn split_pattern(action: &str) -> (&str, IntegrationPattern) {
    if let Some(a) = action.strip_suffix(".sync:2") {
        (a, IntegrationPattern::Sync2)
    } else if let Some(a) = action.strip_suffix(".sync") {
        (a, IntegrationPattern::Sync)
    } else if let Some(a) = action.strip_suffix(".waitForTaskToken") {
        (a, IntegrationPattern::WaitForTaskToken)
    } else {
        (action, IntegrationPattern::RequestResponse)
    }
}

impl Resource {
    /// Classifies a resource string; resource names are treated as opaque.
    pub fn parse(s: &str) -> Resource {
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        if parts.len() == 6 && parts[0] == "arn" && !parts[1].is_empty() {
            let (service, region, account, rest) = (parts[2], parts[3], parts[4], parts[5]);
            if service == "lambda" && rest.starts_with("function:") && rest.len() > 9 {
                return Resource::LambdaFunction(s.to_owned());
            }
            if service == "states" && rest.starts_with("activity:") && rest.len() > 9 {
                return Resource::Activity(s.to_owned());
            }
            if service == "states" && region.is_empty() && account.is_empty() {
                if rest == "http:invoke" {
                    return Resource::HttpInvoke;
                }
                if let Some(sdk) = rest.strip_prefix("aws-sdk:") {
                    if let Some((svc, action)) = sdk.split_once(':')
                        && !svc.is_empty()
                        && !action.is_empty()
                        && !action.contains(':')
                    {
                        let (action, pattern) = split_pattern(action);
                        return Resource::AwsSdk {
                            service: svc.to_owned(),
                            action: action.to_owned(),
                            pattern,
                        };
                    }
                    return Resource::Other(s.to_owned());
                }
                if let Some((svc, action)) = rest.split_once(':') {
                    let (action, pattern) = split_pattern(action);
                    if !svc.is_empty() && !action.is_empty() && !action.contains(':') {
                        return Resource::Integration {
                            service: svc.to_owned(),
                            action: action.to_owned(),
                            pattern,
                        };
                    }
                }
            }
        }
        Resource::Other(s.to_owned())
    }

    /// Returns the integration pattern, if the resource is a service integration.
    pub fn pattern(&self) -> Option<IntegrationPattern> {
        match self {
            Resource::Integration { pattern, .. } | Resource::AwsSdk { pattern, .. } => {
                Some(*pattern)
            }
            _ => None,
        }
    }
}
