// Infrastructure round trip in the studio: import a state machine from a SAM or CloudFormation
// template (paste or file, pick one of several), edit it, export it as CloudFormation, SAM or an
// AWS CLI command, and the `${...}` DefinitionSubstitutions survive the trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, screenshot } from './support/browser.mjs';
import { StudioPage } from './pages/studio.mjs';
import { ImportDialog, ExportDialog } from './pages/iac.mjs';
import { savedDocuments } from './pages/share.mjs';
import { server, browser, useStudio } from './support/suite.mjs';

useStudio();

async function open() {
  const { page, errors, context } = await newPage(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const studio = new StudioPage(page, server.url);
  await studio.goto();
  return { page, errors, context, studio };
}

// Shaped like the SAM "stock trader" sample: functions, a table, a schedule, policies, and the
// definition inline with DefinitionSubstitutions; plus a second machine kept in a file.
const SAM = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: >
  stock-trader: a scheduled state machine that checks a stock price and buys or sells.

Parameters:
  Stage:
    Type: String
    Default: dev

Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Architectures: [arm64]

Resources:
  StockTradingStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: !Sub stock-trader-\${Stage}
      Type: STANDARD
      Definition:
        Comment: A state machine that does mock stock trading.
        StartAt: Check Stock Value
        States:
          Check Stock Value:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            OutputPath: $.Payload
            Parameters:
              FunctionName: \${StockCheckerFunctionArn}
              Payload.$: $
            Retry:
              - ErrorEquals: [Lambda.ServiceException, Lambda.TooManyRequestsException]
                IntervalSeconds: 2
                MaxAttempts: 6
                BackoffRate: 2
            Next: Buy or Sell?
          Buy or Sell?:
            Type: Choice
            Choices:
              - Variable: $.stock_price
                NumericLessThanEquals: 50
                Next: Buy Stock
            Default: Sell Stock
          Sell Stock:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            OutputPath: $.Payload
            Parameters:
              FunctionName: \${StockSellerFunctionArn}
              Payload.$: $
            Next: Record Transaction
          Buy Stock:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            OutputPath: $.Payload
            Parameters:
              FunctionName: \${StockBuyerFunctionArn}
              Payload.$: $
            Next: Record Transaction
          Record Transaction:
            Type: Task
            Resource: arn:aws:states:::dynamodb:putItem
            Parameters:
              TableName: \${DDBTable}
              Item:
                Id:
                  S.$: $.id
                Type:
                  S.$: $.type
            End: true
      DefinitionSubstitutions:
        StockCheckerFunctionArn: !GetAtt StockCheckerFunction.Arn
        StockSellerFunctionArn: !GetAtt StockSellerFunction.Arn
        StockBuyerFunctionArn: !GetAtt StockBuyerFunction.Arn
        DDBTable: !Ref TransactionTable
      Events:
        HourlyTradingSchedule:
          Type: Schedule
          Properties:
            Description: Schedule to run the stock trading state machine every hour
            Enabled: False
            Schedule: "rate(1 hour)"
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref StockCheckerFunction
        - DynamoDBWritePolicy:
            TableName: !Ref TransactionTable

  ReportStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/report.asl.json
      Policies:
        - AWSXrayWriteOnlyAccess

  StockCheckerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/stock_checker/
      Handler: app.lambda_handler

  StockSellerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/stock_seller/
      Handler: app.lambda_handler

  StockBuyerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/stock_buyer/
      Handler: app.lambda_handler

  TransactionTable:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey:
        Name: Id
        Type: String

  AuditStateMachine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: audit
      RoleArn: !GetAtt AuditRole.Arn
      DefinitionString: !Sub |
        {
          "StartAt": "Audit",
          "States": {
            "Audit": {
              "Type": "Task",
              "Resource": "arn:aws:states:::sns:publish",
              "Parameters": { "TopicArn": "\${AuditTopic}", "Message.$": "$" },
              "End": true
            }
          }
        }
`;

const SUBSTITUTIONS = ['${StockCheckerFunctionArn}', '${StockSellerFunctionArn}', '${StockBuyerFunctionArn}', '${DDBTable}'];

test('SAM template: import, edit, export keeps the ${...} substitutions', async () => {
  const { page, errors, context, studio } = await open();
  const before = await savedDocuments(page);
  const dialog = new ImportDialog(page);
  await dialog.open();
  await dialog.paste(SAM);
  await dialog.machines().first().waitFor();
  assert.equal(await dialog.machines().count(), 3);
  assert.ok(await dialog.machine('ReportStateMachine').isDisabled(), 'a definition in another file cannot be read');
  await screenshot(page, 'iac-import-pick');
  await dialog.machine('StockTradingStateMachine').click();
  await dialog.root.waitFor({ state: 'detached' });
  await page.getByTestId('notice').filter({ hasText: '4 substitutions are kept' }).waitFor();
  await studio.stateNodes().filter({ hasText: 'Record Transaction' }).first().waitFor();
  assert.equal((await savedDocuments(page)).length, before.length + 1, 'opened as a new document');

  await studio.mode('code');
  await studio.codePanel.waitReady();
  const imported = await studio.codePanel.text();
  for (const s of SUBSTITUTIONS) assert.ok(imported.includes(s), `${s} is in the definition`);

  // Edit: rename a state in the inspector.
  await studio.mode('design');
  await studio.canvas.selectState('Record Transaction');
  await studio.inspector.rename('Save Transaction');
  await studio.stateNodes().filter({ hasText: 'Save Transaction' }).first().waitFor();

  const exporter = new ExportDialog(page);
  await exporter.open();
  assert.equal(await page.getByTestId('iac-target').inputValue(), 'sam', 'a SAM import exports as SAM');
  const sam = await exporter.output();
  for (const s of SUBSTITUTIONS) assert.ok(sam.includes(s), `${s} survives the SAM export`);
  assert.match(sam, /AWS::Serverless::StateMachine/);
  assert.match(sam, /StockTradingStateMachine:/);
  assert.match(sam, /DefinitionSubstitutions:/);
  assert.match(sam, /StockCheckerFunctionArn:\n\s+Fn::GetAtt:\n\s+- StockCheckerFunction\n\s+- Arn\n/);
  assert.match(sam, /DDBTable:\n\s+Ref: TransactionTable\n/);
  assert.match(sam, /Fn::Sub: "stock-trader-\$\{Stage\}"/, 'the computed name is kept');
  assert.match(sam, /Save Transaction/);
  assert.doesNotMatch(sam, /Record Transaction/);
  await screenshot(page, 'iac-export-sam');

  await exporter.choose('cfn', 'json');
  const cfn = JSON.parse(await exporter.output());
  const resource = cfn.Resources.StockTradingStateMachine;
  assert.equal(resource.Type, 'AWS::StepFunctions::StateMachine');
  assert.deepEqual(resource.Properties.DefinitionSubstitutions.StockCheckerFunctionArn, { 'Fn::GetAtt': ['StockCheckerFunction', 'Arn'] });
  assert.deepEqual(resource.Properties.DefinitionSubstitutions.DDBTable, { Ref: 'TransactionTable' });
  const cfnText = JSON.stringify(resource.Properties);
  for (const s of SUBSTITUTIONS) assert.ok(cfnText.includes(s), `${s} survives the CloudFormation export`);
  const file = await exporter.download();
  assert.match(file.name, /\.cfn\.json$/);
  assert.deepEqual(JSON.parse(file.text), cfn);

  await exporter.choose('cli');
  const cli = await exporter.output();
  assert.match(cli, /aws stepfunctions create-state-machine/);
  assert.match(cli, /Save Transaction/);
  await page.getByTestId('iac-copy').click();
  await page.getByTestId('iac-copied').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cli);
  await screenshot(page, 'iac-export-cli');
  await exporter.close();

  // The import record is saved with the document: a reload exports the same way.
  await studio.goto();
  await exporter.open();
  assert.equal(await exporter.output(), sam);
  assert.deepEqual(errors, []);
  await context.close();
});

test('CloudFormation template from a file: Fn::Sub definition string round trip', async () => {
  const { page, errors, context, studio } = await open();
  const template = JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      OrdersMachine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'orders',
          RoleArn: { 'Fn::GetAtt': ['OrdersRole', 'Arn'] },
          DefinitionString: {
            'Fn::Sub': [
              '{"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"${Topic}","Message.$":"$"},"End":true}}}',
              { Topic: { Ref: 'OrdersTopic' } },
            ],
          },
        },
      },
    },
  }, null, 2);
  const dialog = new ImportDialog(page);
  await dialog.open();
  await dialog.openFile('orders.template.json', template);
  // One machine: it opens at once.
  await dialog.root.waitFor({ state: 'detached' });
  await studio.stateNodes().filter({ hasText: 'Notify' }).first().waitFor();
  assert.equal(await page.getByTestId('doc-name').inputValue(), 'orders');
  const exporter = new ExportDialog(page);
  await exporter.open();
  assert.equal(await page.getByTestId('iac-target').inputValue(), 'cfn');
  assert.equal(await page.getByTestId('iac-format').inputValue(), 'json', 'a JSON template exports as JSON');
  const out = JSON.parse(await exporter.output());
  const props = out.Resources.OrdersMachine.Properties;
  assert.deepEqual(props.RoleArn, { 'Fn::GetAtt': ['OrdersRole', 'Arn'] });
  assert.equal(props.StateMachineName, 'orders');
  assert.ok(JSON.stringify(props).includes('${Topic}'));
  assert.ok(JSON.stringify(props).includes('OrdersTopic'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a template that cannot be read says why and opens nothing', async () => {
  const { page, errors, context } = await open();
  const before = await savedDocuments(page);
  const dialog = new ImportDialog(page);
  await dialog.open();
  for (const [text, message] of [
    ['Resources: [1, 2', /cannot be read/],
    ['{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}', /has no AWS::StepFunctions::StateMachine/],
    ['StartAt: A\nStates: {}', /not a CloudFormation or SAM template/],
  ]) {
    await dialog.paste(text);
    await dialog.error().waitFor();
    assert.match(await dialog.error().textContent(), message);
  }
  await screenshot(page, 'iac-import-error');
  assert.deepEqual(await savedDocuments(page), before);
  assert.deepEqual(errors, []);
  await context.close();
});
