//! The KEDA scaler table: one row per trigger type that kedacore/keda
//! (commit 8b4f083) builds in `pkg/scaling/scalers_builder.go` `buildScaler`,
//! each naming its `pkg/scalers/*_scaler.go` file.
//!
//! A row says what the engine needs to evaluate the trigger exactly as its
//! scaler does: the HPA metric's name (`GetMetricSpecForScaling`), the target
//! key with its default and how KEDA parses it (the `keda:"name=…,
//! order=…, default=…"` tag of the scaler's typed config: `int64` keys refuse
//! fractions, `float64` keys take any JSON number), the checks its `Validate`
//! or `New*Scaler` adds, the activation rule (`GetMetricsAndActivity`), the
//! metric types it allows, and what its reading is. `docs/scalers.md` is
//! rendered from this table ([`super::markdown`]); a test keeps the two equal.
//! A type that is not in the table is refused as `buildScaler` refuses it:
//! `no scaler found for type: …`.

/// How KEDA parses a number: `json.Unmarshal` into the field's Go type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Num {
    /// `int64`: an integer; `1.5` or `1e3` is refused.
    Int64,
    /// `int`: as `int64` (64-bit platforms).
    Int,
    /// `float64`: any JSON number.
    Float64,
}

impl Num {
    /// The Go type's name.
    pub fn go(self) -> &'static str {
        match self {
            Num::Int64 => "int64",
            Num::Int => "int",
            Num::Float64 => "float64",
        }
    }
}

/// Where a key may come from: the `order=` of its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `order=triggerMetadata`.
    Metadata,
    /// `order=triggerMetadata;resolvedEnv`: also from the container's
    /// environment through `<key>FromEnv`.
    MetadataThenEnv,
    /// `order=authParams;triggerMetadata`: a TriggerAuthentication's value
    /// wins over the metadata's.
    AuthThenMetadata,
}

impl Source {
    /// As KEDA prints it in `missing required parameter`.
    pub fn order(self) -> &'static str {
        match self {
            Source::Metadata => "[triggerMetadata]",
            Source::MetadataThenEnv => "[triggerMetadata resolvedEnv]",
            Source::AuthThenMetadata => "[authParams triggerMetadata]",
        }
    }
}

/// A key's default when the metadata lacks it (or gives it empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No default and not optional: `missing required parameter`.
    Required,
    /// `default=…`.
    Is(&'static str),
    /// `optional` without a default: Go's zero value, 0.
    Zero,
}

/// One metadata key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// The key (`name=`).
    pub key: &'static str,
    /// A second name the tag accepts (`name=targetValue;queryValue`).
    pub alias: Option<&'static str>,
    /// Its Go type.
    pub num: Num,
    /// Its default.
    pub default: Missing,
    /// Where it may come from.
    pub from: Source,
}

impl Param {
    const fn new(key: &'static str, num: Num, default: Missing) -> Param {
        Param {
            key,
            alias: None,
            num,
            default,
            from: Source::Metadata,
        }
    }

    const fn env(mut self) -> Param {
        self.from = Source::MetadataThenEnv;
        self
    }

    const fn auth_first(mut self) -> Param {
        self.from = Source::AuthThenMetadata;
        self
    }

    const fn or(mut self, alias: &'static str) -> Param {
        self.alias = Some(alias);
        self
    }
}

const fn int(key: &'static str, default: Missing) -> Param {
    Param::new(key, Num::Int64, default)
}

const fn goint(key: &'static str, default: Missing) -> Param {
    Param::new(key, Num::Int, default)
}

const fn float(key: &'static str, default: Missing) -> Param {
    Param::new(key, Num::Float64, default)
}

/// A check the scaler adds to a target (its `Validate` or `New*Scaler`).
/// "Unless source": skipped when the trigger only feeds scaling modifiers
/// (`ScalerConfig.AsMetricSource`, set for every trigger of a ScaledObject
/// with `advanced.scalingModifiers.formula`); the target is then 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// No check.
    None,
    /// `target <= 0` is refused with this message (`{}`: the value).
    Positive(&'static str),
    /// `target <= 0` is refused unless the trigger is a metric source.
    PositiveUnlessSource(&'static str),
    /// `target == 0` is refused unless the trigger is a metric source.
    NonZeroUnlessSource(&'static str),
    /// `target == -1` (the default) is refused unless the trigger is a
    /// metric source.
    SetUnlessSource(&'static str),
}

/// Where the target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A metadata key, with the scaler's check.
    Key(Param, Rule),
    /// A constant in the scaler's code.
    Fixed(i64),
    /// cpu/memory: `value`, a Utilization percent or an AverageValue quantity.
    Resource,
    /// `external`/`external-push`: the external scaler's `GetMetricSpec`
    /// answer, which the case gives as the reading's `target`.
    External,
    /// Several keys chosen by mode (rabbitmq, redis streams): rules in
    /// `scalers/mod.rs`, named in the row's `reads`.
    Modes,
    /// Evaluable only with what one reading cannot carry: refused with this
    /// reason (KEDA itself accepts it).
    Unsupported(&'static str),
}

/// When the scaler reports the trigger active (`GetMetricsAndActivity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// reading > the key's value; a negative value is refused with the
    /// message, when given.
    Above(Param, Option<&'static str>),
    /// reading > 0 (no key).
    AboveZero,
    /// reading >= the target (github-runner).
    AtLeastTarget,
    /// Inside the cron window.
    Window,
    /// cpu/memory: never an activator.
    Never,
    /// Chosen by mode: rules in `scalers/mod.rs`.
    Modes,
    /// The scaler's own answer (`IsActive` of an external scaler): the
    /// reading's `active`.
    Reported,
}

/// The metric target types a trigger may ask for (`metricType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricType {
    /// `AverageValue` (default) or `Value` (`GetMetricTargetType`).
    Any,
    /// The scaler ignores `metricType` and always uses this one.
    Forced(&'static str),
    /// cpu/memory: `Utilization` or `AverageValue`, required.
    Resource,
}

/// One scaler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The trigger types `buildScaler` maps to this scaler.
    pub types: &'static [&'static str],
    /// Its file in kedacore/keda `pkg/scalers/`.
    pub file: &'static str,
    /// The HPA metric's name after `s<i>-`: `{key}` is the key's value
    /// (`{key=dflt}` with a default, `{-key}` a dash and the value when
    /// set); alternatives separated by `|` are tried in order, the first
    /// whose keys are all set wins (the last one always does).
    pub name: &'static str,
    /// The target.
    pub target: Target,
    /// The activation rule.
    pub activation: Activation,
    /// The allowed metric types.
    pub metric_type: MetricType,
    /// Other keys the scaler requires (`missing required parameter`).
    pub requires: &'static [&'static str],
    /// Keys KEDA refuses as removed: `scaler <type> info: <message>`.
    pub deprecated: &'static [(&'static str, &'static str)],
    /// Boolean keys that make the scaler report what one reading cannot
    /// carry: refused when true, with the reason.
    pub unsupported_if: &'static [(&'static str, &'static str)],
    /// What the trigger's reading is (the value the scaler reports).
    pub reads: &'static str,
}

use Missing::{Is, Required, Zero};

const fn act(p: Param) -> Activation {
    Activation::Above(p, None)
}

const fn row(
    types: &'static [&'static str],
    file: &'static str,
    name: &'static str,
    target: Target,
    activation: Activation,
    reads: &'static str,
) -> Row {
    Row {
        types,
        file,
        name,
        target,
        activation,
        metric_type: MetricType::Any,
        requires: &[],
        deprecated: &[],
        unsupported_if: &[],
        reads,
    }
}

const fn key(p: Param) -> Target {
    Target::Key(p, Rule::None)
}

const fn checked(p: Param, rule: Rule) -> Target {
    Target::Key(p, rule)
}

/// Every scaler, in `buildScaler`'s order.
pub const SCALERS: &[Row] = &[
    row(
        &["activemq"],
        "activemq_scaler.go",
        "activemq-{destinationName}",
        key(int("targetQueueSize", Is("10"))),
        act(int("activationTargetQueueSize", Is("0"))),
        "the destination's QueueSize (Jolokia)",
    ),
    row(
        &["apache-kafka"],
        "apache_kafka_scaler.go",
        "kafka-{topic}|kafka-{consumerGroup}-topics",
        checked(
            int("lagThreshold", Is("10")),
            Rule::Positive("lagThreshold must be a positive number"),
        ),
        Activation::Above(
            int("activationLagThreshold", Is("0")),
            Some("activationLagThreshold must be a positive number"),
        ),
        "the total consumer lag, capped at partitions × lagThreshold unless allowIdleConsumers (activation compares the uncapped lag)",
    ),
    row(
        &["arangodb"],
        "arangodb_scaler.go",
        "arangodb",
        checked(
            float("queryValue", Is("0")),
            Rule::NonZeroUnlessSource("no QueryValue given"),
        ),
        act(float("activationQueryValue", Is("0"))),
        "the query's result",
    ),
    row(
        &["artemis-queue"],
        "artemis_scaler.go",
        "artemis-{queueName}",
        key(int("queueLength", Is("10"))),
        act(int("activationQueueLength", Is("10"))),
        "the queue's message count",
    ),
    row(
        &["aws-cloudwatch"],
        "aws_cloudwatch_scaler.go",
        "aws-cloudwatch",
        key(float("targetMetricValue", Required)),
        act(float("activationTargetMetricValue", Zero)),
        "the CloudWatch statistic (minMetricValue when the query returns nothing)",
    ),
    row(
        &["aws-dynamodb"],
        "aws_dynamodb_scaler.go",
        "aws-dynamodb-{tableName}",
        checked(
            int("targetValue", Is("-1")),
            Rule::SetUnlessSource("no targetValue given"),
        ),
        act(int("activationTargetValue", Is("0"))),
        "the query's item count",
    ),
    row(
        &["aws-dynamodb-streams"],
        "aws_dynamodb_streams_scaler.go",
        "aws-dynamodb-streams-{tableName}",
        key(int("shardCount", Is("2"))),
        act(int("activationShardCount", Is("0"))),
        "the stream's open shard count",
    ),
    row(
        &["aws-kinesis-stream"],
        "aws_kinesis_stream_scaler.go",
        "aws-kinesis-{streamName}",
        key(int("shardCount", Is("2"))),
        act(int("activationShardCount", Is("0"))),
        "the stream's open shard count",
    ),
    Row {
        requires: &["queueURL"],
        ..row(
            &["aws-sqs-queue"],
            "aws_sqs_queue_scaler.go",
            "aws-sqs-{queueURL/}",
            key(int("queueLength", Is("5"))),
            act(int("activationQueueLength", Is("0"))),
            "ApproximateNumberOfMessages, + NotVisible when scaleOnInFlight (default true), + Delayed when scaleOnDelayed (default false)",
        )
    },
    row(
        &["azure-app-insights"],
        "azure_app_insights_scaler.go",
        "azure-app-insights-{metricId}",
        checked(
            float("targetValue", Zero),
            Rule::NonZeroUnlessSource("no targetValue given"),
        ),
        act(float("activationTargetValue", Is("0"))),
        "the Application Insights metric",
    ),
    row(
        &["azure-blob"],
        "azure_blob_scaler.go",
        "azure-blob-{blobContainerName}",
        key(int("blobCount", Is("5"))),
        act(int("activationBlobCount", Is("0"))),
        "the container's blob count (under blobPrefix)",
    ),
    row(
        &["azure-data-explorer"],
        "azure_data_explorer_scaler.go",
        "azure-data-explorer-{databaseName}",
        key(float("threshold", Required)),
        act(float("activationThreshold", Is("0"))),
        "the query's result",
    ),
    row(
        &["azure-eventhub"],
        "azure_eventhub_scaler.go",
        "azure-eventhub-{consumerGroup=$Default}",
        checked(
            int("unprocessedEventThreshold", Is("64")),
            Rule::Positive("\"unprocessedEventThreshold\" must be a positive number"),
        ),
        act(int("activationUnprocessedEventThreshold", Is("0"))),
        "the unprocessed events over all partitions",
    ),
    row(
        &["azure-log-analytics"],
        "azure_log_analytics_scaler.go",
        "azure-log-analytics-{workspaceId}",
        key(float("threshold", Required)),
        act(float("activationThreshold", Is("0"))),
        "the query's result",
    ),
    row(
        &["azure-monitor"],
        "azure_monitor_scaler.go",
        "azure-monitor-{metricName}",
        checked(
            float("targetValue", Required),
            Rule::NonZeroUnlessSource("no targetValue given"),
        ),
        act(float("activationTargetValue", Is("0"))),
        "the Azure Monitor metric",
    ),
    row(
        &["azure-pipelines"],
        "azure_pipelines_scaler.go",
        "azure-pipelines-{poolID=0}",
        key(int("targetPipelinesQueueLength", Is("1"))),
        act(int("activationTargetPipelinesQueueLength", Is("0"))),
        "the pool's queued jobs",
    ),
    row(
        &["azure-queue"],
        "azure_queue_scaler.go",
        "azure-queue-{queueName}",
        key(int("queueLength", Is("5"))),
        act(int("activationQueueLength", Is("0"))),
        "the queue's message count (visible only with queueLengthStrategy: visibleonly)",
    ),
    row(
        &["azure-servicebus"],
        "azure_servicebus_scaler.go",
        "azure-servicebus-{queueName}|azure-servicebus-{topicName}",
        key(int("messageCount", Is("5"))),
        act(int("activationMessageCount", Zero)),
        "the active message count",
    ),
    row(
        &["beanstalkd"],
        "beanstalkd_scaler.go",
        "beanstalkd-{tube}",
        key(float("value", Required)),
        act(float("activationValue", Zero)),
        "the tube's ready (+ reserved, + delayed with includeDelayed) jobs",
    ),
    row(
        &["cassandra"],
        "cassandra_scaler.go",
        "cassandra-{keyspace}",
        key(int("targetQueryValue", Required)),
        act(int("activationTargetQueryValue", Is("0"))),
        "the query's result",
    ),
    row(
        &["clickhouse"],
        "clickhouse_scaler.go",
        "clickhouse",
        checked(
            float("targetQueryValue", Required),
            Rule::NonZeroUnlessSource(
                "targetQueryValue is required when not using scaler as metric source",
            ),
        ),
        act(float("activationTargetQueryValue", Is("0"))),
        "the query's result",
    ),
    row(
        &["couchdb"],
        "couchdb_scaler.go",
        "coucdb-{dbName}",
        checked(
            int("queryValue", Zero),
            Rule::NonZeroUnlessSource("no queryValue given"),
        ),
        act(int("activationQueryValue", Is("0"))),
        "the query's row count (upstream spells the metric `coucdb-`)",
    ),
    Row {
        metric_type: MetricType::Resource,
        deprecated: &[(
            "type",
            "The 'type' setting is DEPRECATED and is removed in v2.18 - Use 'metricType' instead.",
        )],
        ..row(
            &["cpu", "memory"],
            "cpu_memory_scaler.go",
            "",
            Target::Resource,
            Activation::Never,
            "the pods' usage (`podValues`); a Resource metric of the HPA, never an activator",
        )
    },
    Row {
        requires: &["start", "end", "timezone", "desiredReplicas"],
        ..row(
            &["cron"],
            "cron_scaler.go",
            "cron-{timezone}-{start}-{end}",
            Target::Fixed(1),
            Activation::Window,
            "no reading: desiredReplicas inside the window, 0 outside, evaluated at `now` (Unix time) in `timezone`",
        )
    },
    row(
        &["datadog"],
        "datadog_scaler.go",
        "datadog-{query}",
        checked(
            float("targetValue", Is("-1")).or("queryValue"),
            Rule::SetUnlessSource("no targetValue or queryValue given"),
        ),
        Activation::Modes,
        "the query's value (API) or the DatadogMetric (cluster agent); activation key activationQueryValue, or activationTargetValue with useClusterAgentProxy",
    ),
    row(
        &["dynatrace"],
        "dynatrace_scaler.go",
        "dynatrace",
        key(float("threshold", Required)),
        act(float("activationThreshold", Zero)),
        "the metric selector's or DQL query's value",
    ),
    row(
        &["elastic-forecast"],
        "elastic_forecast_scaler.go",
        "elastic-forecast-{jobID}",
        checked(
            float("targetValue", Required),
            Rule::Positive("targetValue must be greater than 0"),
        ),
        act(float("activationTargetValue", Is("0"))),
        "the ML job's forecast",
    ),
    row(
        &["elasticsearch"],
        "elasticsearch_scaler.go",
        "elasticsearch-{searchTemplateName}|elasticsearch-query",
        key(float("targetValue", Required).auth_first()),
        act(float("activationTargetValue", Is("0"))),
        "the search's value at valueLocation",
    ),
    row(
        &["etcd"],
        "etcd_scaler.go",
        "etcd-{watchKey}",
        key(float("value", Required)),
        act(float("activationValue", Is("0"))),
        "the watched key's value",
    ),
    row(
        &["external", "external-push"],
        "external_scaler.go",
        "{?}",
        Target::External,
        Activation::Reported,
        "the external scaler's GetMetrics value; the reading also gives its GetMetricSpec `target` and its IsActive answer `active`",
    ),
    row(
        &["external-mock"],
        "external_mock_scaler.go",
        "mock",
        Target::Unsupported("KEDA's test-only mock scaler reports fixed values"),
        Activation::Never,
        "a constant (KEDA's own tests)",
    ),
    row(
        &["forgejo-runner"],
        "forgejo_runner_scaler.go",
        "forgejo",
        Target::Fixed(1),
        Activation::AboveZero,
        "the pending jobs matching labels",
    ),
    row(
        &["gcp-cloudtasks"],
        "gcp_cloud_tasks_scaler.go",
        "gcp-ct-{queueName}",
        key(float("value", Is("100"))),
        act(float("activationValue", Is("0"))),
        "the queue's task count",
    ),
    Row {
        deprecated: &[(
            "subscriptionSize",
            "The 'subscriptionSize' setting is DEPRECATED and is removed in v2.20 - Use 'mode' and 'value' instead",
        )],
        ..row(
            &["gcp-pubsub"],
            "gcp_pubsub_scaler.go",
            "gcp-ps-{subscriptionName}|gcp-ps-{topicName}",
            key(float("value", Is("10"))),
            act(float("activationValue", Is("0"))),
            "the subscription's undelivered messages (mode SubscriptionSize, default), or the oldest unacked message's age (OldestUnackedMessageAge), or another Stackdriver metric",
        )
    },
    row(
        &["gcp-spanner"],
        "gcp_spanner_scaler.go",
        "gcp-spanner-{instanceId}-{databaseId}-{projectId}",
        checked(
            float("targetValue", Is("5")),
            Rule::Positive("targetValue must be greater than 0, got {}"),
        ),
        act(float("activationValue", Is("0"))),
        "the query's count",
    ),
    row(
        &["gcp-stackdriver"],
        "gcp_stackdriver_scaler.go",
        "gcp-stackdriver-{projectId}",
        key(float("targetValue", Is("5"))),
        act(float("activationTargetValue", Is("0"))),
        "the filter's metric value",
    ),
    row(
        &["gcp-storage"],
        "gcp_storage_scaler.go",
        "gcp-storage-{bucketName}",
        checked(
            int("targetObjectCount", Is("100")),
            Rule::Positive("targetObjectCount must be a positive number"),
        ),
        Activation::Above(
            int("activationTargetObjectCount", Is("0")),
            Some("activationTargetObjectCount must be a positive number"),
        ),
        "the bucket's object count (up to maxBucketItemsToScan)",
    ),
    row(
        &["github-runner"],
        "github_runner_scaler.go",
        "github-runner-{owner}",
        key(int("targetWorkflowQueueLength", Is("1")).env()),
        Activation::AtLeastTarget,
        "the queued workflow jobs matching labels; active when the count >= targetWorkflowQueueLength",
    ),
    row(
        &["graphite"],
        "graphite_scaler.go",
        "graphite",
        key(float("threshold", Is("100"))),
        act(float("activationThreshold", Is("0"))),
        "the query's last value",
    ),
    Row {
        deprecated: &[(
            "minMetricValue",
            "The 'minMetricValue' setting is DEPRECATED and is removed in v2.20 - Use 'activationTargetMetricValue' instead",
        )],
        ..row(
            &["huawei-cloudeye"],
            "huawei_cloudeye_scaler.go",
            "huawei-cloudeye-{metricName}",
            key(float("targetMetricValue", Required)),
            act(float("activationTargetMetricValue", Is("0"))),
            "the Cloud Eye metric",
        )
    },
    row(
        &["ibmmq"],
        "ibmmq_scaler.go",
        "ibmmq-{queueName}",
        key(int("queueDepth", Is("20"))),
        act(int("activationQueueDepth", Is("0"))),
        "the queue depth (the largest over queueNames with operation max, else their sum)",
    ),
    row(
        &["influxdb"],
        "influxdb_scaler.go",
        "influxdb-{organizationName}|influxdb-{database}",
        checked(
            float("thresholdValue", Zero),
            Rule::NonZeroUnlessSource("no threshold value given"),
        ),
        act(float("activationThresholdValue", Zero)),
        "the query's result",
    ),
    row(
        &["kafka"],
        "kafka_scaler.go",
        "kafka-{topic}|kafka-{consumerGroup}-topics",
        checked(
            int("lagThreshold", Is("10")),
            Rule::Positive("\"lagThreshold\" must be positive number"),
        ),
        Activation::Above(
            int("activationLagThreshold", Is("0")),
            Some("\"activationLagThreshold\" must be a non-negative number"),
        ),
        "the total consumer lag, capped at partitions × lagThreshold unless allowIdleConsumers (activation compares the uncapped lag)",
    ),
    row(
        &["kubernetes-resource"],
        "kubernetes_resource_scaler.go",
        "{resourceKind}-{resourceName}-{key}",
        checked(
            float("targetValue", Required),
            Rule::PositiveUnlessSource("targetValue must be a float greater than 0"),
        ),
        act(float("activationTargetValue", Is("0"))),
        "the ConfigMap's or Secret's value at key",
    ),
    row(
        &["kubernetes-workload"],
        "kubernetes_workload_scaler.go",
        "workload-{@namespace}",
        checked(
            float("value", Is("0")),
            Rule::PositiveUnlessSource("value must be a float greater than 0"),
        ),
        act(float("activationValue", Is("0"))),
        "the pods matching podSelector in the ScaledObject's namespace",
    ),
    row(
        &["liiklus"],
        "liiklus_scaler.go",
        "liiklus-{topic}",
        key(int("lagThreshold", Is("10"))),
        act(int("activationLagThreshold", Is("0"))),
        "the total lag",
    ),
    row(
        &["loki"],
        "loki_scaler.go",
        "loki",
        key(float("threshold", Required)),
        act(float("activationThreshold", Is("0"))),
        "the query's result (empty: 0 when ignoreNullValues, default true)",
    ),
    row(
        &["metrics-api"],
        "metrics_api_scaler.go",
        "metric-api-{valueLocation}",
        checked(
            float("targetValue", Zero),
            Rule::NonZeroUnlessSource("no targetValue given in metadata"),
        ),
        act(float("activationTargetValue", Is("0"))),
        "the value at valueLocation",
    ),
    row(
        &["mongodb"],
        "mongo_scaler.go",
        "mongodb-{collection}",
        key(float("queryValue", Required)),
        act(float("activationQueryValue", Is("0"))),
        "the query's document count",
    ),
    row(
        &["mssql"],
        "mssql_scaler.go",
        "mssql",
        checked(
            float("targetValue", Required),
            Rule::NonZeroUnlessSource("no targetValue given"),
        ),
        act(float("activationTargetValue", Is("0"))),
        "the query's result",
    ),
    row(
        &["mysql"],
        "mysql_scaler.go",
        "mysql-{dbName}",
        key(float("queryValue", Required)),
        act(float("activationQueryValue", Is("0"))),
        "the query's result",
    ),
    row(
        &["nats-jetstream"],
        "nats_jetstream_scaler.go",
        "nats-jetstream-{stream}",
        key(int("lagThreshold", Is("10"))),
        act(int("activationLagThreshold", Is("0"))),
        "the consumer's pending messages",
    ),
    row(
        &["new-relic"],
        "newrelic_scaler.go",
        "new-relic",
        key(float("threshold", Required)),
        act(float("activationThreshold", Is("0"))),
        "the NRQL query's value",
    ),
    row(
        &["nsq"],
        "nsq_scaler.go",
        "nsq-{topic}-{channel}",
        key(int("depthThreshold", Is("10")).env()),
        act(int("activationDepthThreshold", Is("0")).env()),
        "the channel's depth",
    ),
    row(
        &["opensearch"],
        "opensearch_scaler.go",
        "opensearch-{searchTemplateName}|opensearch-query",
        key(float("targetValue", Required).auth_first()),
        act(float("activationTargetValue", Is("0"))),
        "the search's value at valueLocation",
    ),
    row(
        &["openstack-metric"],
        "openstack_metrics_scaler.go",
        "openstack-metric-{metricID}",
        key(float("threshold", Zero)),
        act(float("activationThreshold", Zero)),
        "the Gnocchi aggregate",
    ),
    row(
        &["openstack-swift"],
        "openstack_swift_scaler.go",
        "openstack-swift-{containerName}-{objectPrefix}|openstack-swift-{containerName}",
        key(int("objectCount", Is("2"))),
        act(int("activationObjectCount", Is("0"))),
        "the container's object count",
    ),
    row(
        &["postgresql"],
        "postgresql_scaler.go",
        "postgresql",
        checked(
            float("targetQueryValue", Zero),
            Rule::NonZeroUnlessSource("no targetQueryValue given"),
        ),
        act(float("activationTargetQueryValue", Zero)),
        "the query's result",
    ),
    row(
        &["predictkube"],
        "predictkube_scaler.go",
        "predictkube-predictkube_metric",
        checked(
            float("threshold", Zero),
            Rule::NonZeroUnlessSource("no threshold given"),
        ),
        act(float("activationThreshold", Zero)),
        "the predicted value",
    ),
    Row {
        requires: &["serverAddress", "query"],
        ..row(
            &["prometheus"],
            "prometheus_scaler.go",
            "prometheus",
            key(float("threshold", Required)),
            act(float("activationThreshold", Zero)),
            "the query's result (empty, NaN or Inf: 0 when ignoreNullValues, default true; else an error)",
        )
    },
    Row {
        metric_type: MetricType::Forced("AverageValue"),
        ..row(
            &["pulsar"],
            "pulsar_scaler.go",
            "pulsar-{topic}-{subscription}",
            key(int("msgBacklogThreshold", Is("10"))),
            act(int("activationMsgBacklogThreshold", Is("0"))),
            "the subscription's backlog",
        )
    },
    Row {
        requires: &["queueName"],
        ..row(
            &["rabbitmq"],
            "rabbitmq_scaler.go",
            "rabbitmq-{queueName%}",
            Target::Modes,
            act(float("activationValue", Zero)),
            "mode QueueLength: the message count (target `value`, or the deprecated `queueLength`, default 20 when neither nor `mode` is set); mode MessageRate: the publish rate (HTTP only; upstream also activates when the message count is above activationValue, which one reading cannot carry)",
        )
    },
    row(
        &["redis", "redis-cluster", "redis-sentinel"],
        "redis_scaler.go",
        "redis-{listName}",
        key(int("listLength", Is("5"))),
        act(int("activationListLength", Zero)),
        "the list's length",
    ),
    Row {
        requires: &["stream"],
        ..row(
            &[
                "redis-streams",
                "redis-cluster-streams",
                "redis-sentinel-streams",
            ],
            "redis_streams_scaler.go",
            "redis-streams-{stream}",
            Target::Modes,
            Activation::Above(int("activationLagCount", Is("0")), None),
            "without consumerGroup: the stream's length (target streamLength, default 5); with it: its pending entries (pendingEntriesCount, default 5), or its lag when lagCount is set",
        )
    },
    row(
        &["selenium-grid"],
        "selenium_grid_scaler.go",
        "selenium-grid{-browserName}{-browserVersion}{-platformName}",
        Target::Fixed(1),
        act(int("activationThreshold", Zero)),
        "the new session requests plus the ongoing sessions, per nodeMaxSessions",
    ),
    row(
        &["solace-direct-messaging"],
        "solace_dm_scaler.go",
        "solace-dm",
        Target::Unsupported(
            "the solace-direct-messaging scaler reports one metric per aggregated client target, and is always active",
        ),
        Activation::Never,
        "several client rates",
    ),
    row(
        &["solace-event-queue"],
        "solace_scaler.go",
        "solace-{queueName}",
        Target::Unsupported(
            "the solace-event-queue scaler reports one metric per target (message count, spool usage, receive rate) and is active when any of the three is above its activation value",
        ),
        Activation::Never,
        "the queue's message count, spool usage and receive rate",
    ),
    row(
        &["solarwinds"],
        "solarwinds_scaler.go",
        "solarwinds",
        key(float("targetValue", Required)),
        act(float("activationValue", Is("0"))),
        "the SWQL query's value",
    ),
    row(
        &["solr"],
        "solr_scaler.go",
        "solr",
        checked(
            float("targetQueryValue", Required),
            Rule::NonZeroUnlessSource("no targetQueryValue given"),
        ),
        act(float("activationTargetQueryValue", Is("0"))),
        "the query's hit count",
    ),
    row(
        &["splunk"],
        "splunk_scaler.go",
        "splunk-{savedSearchName}",
        key(goint("targetValue", Required)),
        act(goint("activationValue", Required)),
        "the saved search's valueField (truncated to an integer for activation)",
    ),
    Row {
        metric_type: MetricType::Forced("Value"),
        ..row(
            &["splunk-observability"],
            "splunk_observability_scaler.go",
            "signalfx",
            key(float("targetValue", Required)),
            act(float("activationTargetValue", Required)),
            "the SignalFlow query's aggregated value",
        )
    },
    row(
        &["sumologic"],
        "sumologic_scaler.go",
        "sumologic-{queryType}",
        key(float("threshold", Required)),
        act(float("activationThreshold", Is("0"))),
        "the logs or metrics query's value",
    ),
    Row {
        unsupported_if: &[(
            "includeRunningWorkflowCount",
            "with includeRunningWorkflowCount the temporal scaler's activity also depends on running workflows, which one reading cannot carry",
        )],
        ..row(
            &["temporal"],
            "temporal_scaler.go",
            "temporal-{namespace=default}-{taskQueue}{-workerDeploymentName}{-workerDeploymentBuildId}",
            key(int("targetQueueSize", Is("5"))),
            act(int("activationTargetQueueSize", Is("0"))),
            "the task queue's backlog",
        )
    },
];

/// The row for a trigger type (aliases included).
pub fn row_for(type_: &str) -> Option<&'static Row> {
    SCALERS.iter().find(|r| r.types.contains(&type_))
}
