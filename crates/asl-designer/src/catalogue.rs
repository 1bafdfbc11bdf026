//! The states palette: every state the designer can add, grouped as Workflow Studio groups
//! them, with Workflow Studio's default fields for a new state.

use serde_json::{Map, Value, json};

/// The query language a new state is written for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum QueryLanguage {
    /// JSONPath (the ASL default): `Parameters`, `OutputPath`, `.$` keys.
    #[default]
    JsonPath,
    /// JSONata: `Arguments`, `Output`, `{% … %}` expressions.
    Jsonata,
}

impl QueryLanguage {
    /// Returns the value written in `QueryLanguage`.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }

    /// Reads a `QueryLanguage` value.
    pub fn parse(s: &str) -> Option<QueryLanguage> {
        match s {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }
}

/// A palette tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// Flow states (Pass, Choice, Wait, Parallel, Map, Succeed, Fail).
    Flow,
    /// Task states calling AWS services.
    Actions,
}

/// Something that can be dropped on the canvas.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Palette {
    /// A Pass state.
    Pass,
    /// A Choice state.
    Choice,
    /// A Wait state.
    Wait,
    /// A Parallel state with one branch.
    Parallel,
    /// An inline Map state.
    Map,
    /// A Succeed state.
    Succeed,
    /// A Fail state.
    Fail,
    /// AWS Lambda Invoke.
    LambdaInvoke,
    /// Amazon SNS Publish.
    SnsPublish,
    /// Amazon SQS SendMessage.
    SqsSendMessage,
    /// Amazon DynamoDB GetItem.
    DynamoDbGetItem,
    /// Amazon DynamoDB PutItem.
    DynamoDbPutItem,
    /// Amazon DynamoDB Scan.
    DynamoDbScan,
    /// Amazon ECS RunTask (wait for completion).
    EcsRunTask,
    /// AWS Glue StartJobRun.
    GlueStartJobRun,
    /// AWS Batch SubmitJob (wait for completion).
    BatchSubmitJob,
    /// Amazon SageMaker CreateTrainingJob (wait for completion).
    SageMakerCreateTrainingJob,
    /// Amazon EventBridge PutEvents.
    EventBridgePutEvents,
    /// AWS Step Functions StartExecution (wait for completion).
    StepFunctionsStartExecution,
    /// The HTTP Task (call a third-party API).
    HttpTask,
    /// A generic AWS SDK integration, for example `s3` / `listBuckets`.
    AwsSdk {
        /// The service name as written in the ARN, for example `s3`.
        service: String,
        /// The action in camel case, for example `listBuckets`.
        action: String,
    },
}

/// One palette entry as the app lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct PaletteItem {
    /// What to pass to the add-state command.
    pub palette: Palette,
    /// The tab it appears in.
    pub group: Group,
    /// The label shown in the palette.
    pub label: &'static str,
    /// A one-line description.
    pub description: &'static str,
}

/// Returns the whole palette in display order.
pub fn catalogue() -> Vec<PaletteItem> {
    use Group::{Actions, Flow};
    let item = |palette, group, label, description| PaletteItem {
        palette,
        group,
        label,
        description,
    };
    vec![
        item(
            Palette::Pass,
            Flow,
            "Pass",
            "Pass input to output, optionally injecting data.",
        ),
        item(Palette::Choice, Flow, "Choice", "Branch on conditions."),
        item(
            Palette::Wait,
            Flow,
            "Wait",
            "Delay for a time or until a timestamp.",
        ),
        item(
            Palette::Parallel,
            Flow,
            "Parallel",
            "Run branches at the same time.",
        ),
        item(
            Palette::Map,
            Flow,
            "Map",
            "Run the same steps for each item of an array.",
        ),
        item(
            Palette::Succeed,
            Flow,
            "Success",
            "Stop the execution successfully.",
        ),
        item(
            Palette::Fail,
            Flow,
            "Fail",
            "Stop the execution with an error.",
        ),
        item(
            Palette::LambdaInvoke,
            Actions,
            "AWS Lambda: Invoke",
            "Invoke a Lambda function.",
        ),
        item(
            Palette::SnsPublish,
            Actions,
            "Amazon SNS: Publish",
            "Publish a message to a topic.",
        ),
        item(
            Palette::SqsSendMessage,
            Actions,
            "Amazon SQS: SendMessage",
            "Send a message to a queue.",
        ),
        item(
            Palette::DynamoDbGetItem,
            Actions,
            "Amazon DynamoDB: GetItem",
            "Read an item.",
        ),
        item(
            Palette::DynamoDbPutItem,
            Actions,
            "Amazon DynamoDB: PutItem",
            "Write an item.",
        ),
        item(
            Palette::DynamoDbScan,
            Actions,
            "Amazon DynamoDB: Scan",
            "Read every item of a table.",
        ),
        item(
            Palette::EcsRunTask,
            Actions,
            "Amazon ECS: RunTask",
            "Run a container task and wait for it.",
        ),
        item(
            Palette::GlueStartJobRun,
            Actions,
            "AWS Glue: StartJobRun",
            "Start a Glue job.",
        ),
        item(
            Palette::BatchSubmitJob,
            Actions,
            "AWS Batch: SubmitJob",
            "Submit a Batch job and wait for it.",
        ),
        item(
            Palette::SageMakerCreateTrainingJob,
            Actions,
            "Amazon SageMaker: CreateTrainingJob",
            "Train a model and wait for it.",
        ),
        item(
            Palette::EventBridgePutEvents,
            Actions,
            "Amazon EventBridge: PutEvents",
            "Send custom events.",
        ),
        item(
            Palette::StepFunctionsStartExecution,
            Actions,
            "AWS Step Functions: StartExecution",
            "Start a nested workflow and wait for it.",
        ),
        item(
            Palette::HttpTask,
            Actions,
            "HTTP Endpoint",
            "Call a third-party HTTPS API.",
        ),
        item(
            Palette::AwsSdk {
                service: "s3".to_owned(),
                action: "listBuckets".to_owned(),
            },
            Actions,
            "AWS SDK integration",
            "Call any AWS API action.",
        ),
    ]
}

impl Palette {
    /// Returns the base name Workflow Studio gives a new state of this kind.
    pub fn default_name(&self) -> String {
        match self {
            Palette::Pass => "Pass".into(),
            Palette::Choice => "Choice".into(),
            Palette::Wait => "Wait".into(),
            Palette::Parallel => "Parallel".into(),
            Palette::Map => "Map".into(),
            Palette::Succeed => "Success".into(),
            Palette::Fail => "Fail".into(),
            Palette::LambdaInvoke => "Lambda Invoke".into(),
            Palette::SnsPublish => "SNS Publish".into(),
            Palette::SqsSendMessage => "SQS SendMessage".into(),
            Palette::DynamoDbGetItem => "DynamoDB GetItem".into(),
            Palette::DynamoDbPutItem => "DynamoDB PutItem".into(),
            Palette::DynamoDbScan => "DynamoDB Scan".into(),
            Palette::EcsRunTask => "ECS RunTask".into(),
            Palette::GlueStartJobRun => "Glue StartJobRun".into(),
            Palette::BatchSubmitJob => "Batch SubmitJob".into(),
            Palette::SageMakerCreateTrainingJob => "SageMaker CreateTrainingJob".into(),
            Palette::EventBridgePutEvents => "EventBridge PutEvents".into(),
            Palette::StepFunctionsStartExecution => "Step Functions StartExecution".into(),
            Palette::HttpTask => "Call third-party API".into(),
            Palette::AwsSdk { service, action } => {
                let mut a = action.clone();
                if let Some(first) = a.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                format!("{} {a}", service_label(service))
            }
        }
    }

    /// Parses the palette names used in command scripts (`Pass`, `LambdaInvoke`,
    /// `AwsSdk:s3:listBuckets`, …).
    pub fn from_script_name(name: &str) -> Option<Palette> {
        if let Some(rest) = name.strip_prefix("AwsSdk:") {
            let (service, action) = rest.split_once(':')?;
            return Some(Palette::AwsSdk {
                service: service.to_owned(),
                action: action.to_owned(),
            });
        }
        Some(match name {
            "Pass" => Palette::Pass,
            "Choice" => Palette::Choice,
            "Wait" => Palette::Wait,
            "Parallel" => Palette::Parallel,
            "Map" => Palette::Map,
            "Succeed" => Palette::Succeed,
            "Fail" => Palette::Fail,
            "LambdaInvoke" => Palette::LambdaInvoke,
            "SnsPublish" => Palette::SnsPublish,
            "SqsSendMessage" => Palette::SqsSendMessage,
            "DynamoDbGetItem" => Palette::DynamoDbGetItem,
            "DynamoDbPutItem" => Palette::DynamoDbPutItem,
            "DynamoDbScan" => Palette::DynamoDbScan,
            "EcsRunTask" => Palette::EcsRunTask,
            "GlueStartJobRun" => Palette::GlueStartJobRun,
            "BatchSubmitJob" => Palette::BatchSubmitJob,
            "SageMakerCreateTrainingJob" => Palette::SageMakerCreateTrainingJob,
            "EventBridgePutEvents" => Palette::EventBridgePutEvents,
            "StepFunctionsStartExecution" => Palette::StepFunctionsStartExecution,
            "HttpTask" => Palette::HttpTask,
            _ => return None,
        })
    }

    /// Returns true for states that never have `Next` or `End` (Choice, Succeed, Fail).
    pub fn is_flow_terminal_or_choice(&self) -> bool {
        matches!(self, Palette::Choice | Palette::Succeed | Palette::Fail)
    }

    /// Builds the state object without its transition fields; `Next`/`End`, Choice targets
    /// and nested placeholder states are added by the add-state command.
    pub fn body(&self, ql: QueryLanguage) -> Value {
        let task = |resource: &str, params: Value| task_body(resource, params, ql);
        match self {
            Palette::Pass => json!({ "Type": "Pass" }),
            Palette::Choice => json!({ "Type": "Choice" }),
            Palette::Wait => json!({ "Type": "Wait", "Seconds": 5 }),
            Palette::Parallel => json!({ "Type": "Parallel" }),
            Palette::Map => json!({ "Type": "Map" }),
            Palette::Succeed => json!({ "Type": "Succeed" }),
            Palette::Fail => json!({ "Type": "Fail" }),
            Palette::LambdaInvoke => {
                let mut v = json!({ "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke" });
                let obj = v.as_object_mut();
                if let Some(obj) = obj {
                    match ql {
                        QueryLanguage::JsonPath => {
                            obj.insert("OutputPath".into(), json!("$.Payload"));
                            obj.insert(
                                "Parameters".into(),
                                json!({ "Payload.$": "$", "FunctionName": FUNCTION_ARN }),
                            );
                        }
                        QueryLanguage::Jsonata => {
                            obj.insert("Output".into(), json!("{% $states.result.Payload %}"));
                            obj.insert(
                                "Arguments".into(),
                                json!({ "FunctionName": FUNCTION_ARN, "Payload": "{% $states.input %}" }),
                            );
                        }
                    }
                    obj.insert("Retry".into(), json!([lambda_retrier()]));
                }
                v
            }
            Palette::SnsPublish => task(
                "arn:aws:states:::sns:publish",
                json!({ "TopicArn": "arn:aws:sns:us-east-1:123456789012:MyTopic", "Message.$": "$" }),
            ),
            Palette::SqsSendMessage => task(
                "arn:aws:states:::sqs:sendMessage",
                json!({
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue",
                    "MessageBody.$": "$"
                }),
            ),
            Palette::DynamoDbGetItem => task(
                "arn:aws:states:::dynamodb:getItem",
                json!({ "TableName": "MyDynamoDBTable", "Key": { "Column": { "S": "MyEntry" } } }),
            ),
            Palette::DynamoDbPutItem => task(
                "arn:aws:states:::dynamodb:putItem",
                json!({ "TableName": "MyDynamoDBTable", "Item": { "Column": { "S": "MyEntry" } } }),
            ),
            Palette::DynamoDbScan => task(
                "arn:aws:states:::dynamodb:scan",
                json!({ "TableName": "MyDynamoDBTable" }),
            ),
            Palette::EcsRunTask => task(
                "arn:aws:states:::ecs:runTask.sync",
                json!({
                    "LaunchType": "FARGATE",
                    "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/MyECSCluster",
                    "TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/MyTaskDefinition:1"
                }),
            ),
            Palette::GlueStartJobRun => task(
                "arn:aws:states:::glue:startJobRun",
                json!({ "JobName": "myJobName" }),
            ),
            Palette::BatchSubmitJob => task(
                "arn:aws:states:::batch:submitJob.sync",
                json!({
                    "JobName": "myJobName",
                    "JobDefinition": "arn:aws:batch:us-east-1:123456789012:job-definition/myJobDefinition",
                    "JobQueue": "arn:aws:batch:us-east-1:123456789012:job-queue/myJobQueue"
                }),
            ),
            Palette::SageMakerCreateTrainingJob => task(
                "arn:aws:states:::sagemaker:createTrainingJob.sync",
                json!({
                    "TrainingJobName": "MyTrainingJob",
                    "AlgorithmSpecification": { "TrainingImage": "MyImage", "TrainingInputMode": "File" },
                    "OutputDataConfig": { "S3OutputPath": "s3://amzn-s3-demo-bucket/output" },
                    "ResourceConfig": { "InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 10 },
                    "RoleArn": "arn:aws:iam::123456789012:role/MySageMakerRole",
                    "StoppingCondition": { "MaxRuntimeInSeconds": 86400 }
                }),
            ),
            Palette::EventBridgePutEvents => task(
                "arn:aws:states:::events:putEvents",
                json!({
                    "Entries": [{
                        "Detail": { "Message": "Hello from Step Functions!" },
                        "DetailType": "MyDetailType",
                        "EventBusName": "MyEventBusName",
                        "Source": "MySource"
                    }]
                }),
            ),
            Palette::StepFunctionsStartExecution => task(
                "arn:aws:states:::states:startExecution.sync:2",
                json!({
                    "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:MyStateMachine",
                    "Input": {
                        "StatePayload": "Hello from Step Functions!",
                        "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"
                    }
                }),
            ),
            Palette::HttpTask => task(
                "arn:aws:states:::http:invoke",
                json!({
                    "ApiEndpoint": "https://example.com/api",
                    "Method": "GET",
                    "Authentication": {
                        "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/MyConnection/0000"
                    }
                }),
            ),
            Palette::AwsSdk { service, action } => task(
                &format!("arn:aws:states:::aws-sdk:{service}:{action}"),
                json!({}),
            ),
        }
    }
}

const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:MyFunction:$LATEST";

/// Workflow Studio's default retrier for Lambda Invoke.
pub fn lambda_retrier() -> Value {
    json!({
        "ErrorEquals": [
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException"
        ],
        "IntervalSeconds": 1,
        "MaxAttempts": 3,
        "BackoffRate": 2,
        "JitterStrategy": "FULL"
    })
}

/// The retrier the "Add retrier" button inserts.
pub fn default_retrier() -> Value {
    json!({ "ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2 })
}

fn task_body(resource: &str, params: Value, ql: QueryLanguage) -> Value {
    let mut obj = Map::new();
    obj.insert("Type".into(), json!("Task"));
    obj.insert("Resource".into(), json!(resource));
    match ql {
        QueryLanguage::JsonPath => {
            obj.insert("Parameters".into(), params);
        }
        QueryLanguage::Jsonata => {
            obj.insert("Arguments".into(), to_jsonata(&params));
        }
    }
    Value::Object(obj)
}

/// Converts a JSONPath payload template into JSONata `Arguments`: `"Key.$": "$.x"` becomes
/// `"Key": "{% $states.input.x %}"`.
pub fn to_jsonata(template: &Value) -> Value {
    match template {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                match (k.strip_suffix(".$"), v.as_str()) {
                    (Some(base), Some(path)) => {
                        out.insert(
                            base.to_owned(),
                            json!(format!("{{% {} %}}", path_to_jsonata(path))),
                        );
                    }
                    _ => {
                        out.insert(k.clone(), to_jsonata(v));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_jsonata).collect()),
        other => other.clone(),
    }
}

fn path_to_jsonata(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("$$") {
        format!("$states.context{rest}")
    } else if let Some(rest) = path.strip_prefix('$') {
        format!("$states.input{rest}")
    } else {
        path.to_owned()
    }
}

fn service_label(service: &str) -> String {
    match service {
        "s3" => "S3".into(),
        "dynamodb" => "DynamoDB".into(),
        "sqs" => "SQS".into(),
        "sns" => "SNS".into(),
        "ec2" => "EC2".into(),
        other => {
            let mut s = other.to_owned();
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        }
    }
}
