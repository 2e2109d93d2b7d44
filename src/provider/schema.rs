// SPDX-License-Identifier: MPL-2.0
//! The schema of the `provider "ehpc"` block. Names and meanings follow
//! terraform-provider-alicloud where it has the same setting, so that users can copy their
//! `alicloud` provider block. Defaults live in [`super::config`], which the descriptions quote.

use crate::protocol::{Attribute, Block, NestedBlock, NestingMode, Schema};

use crate::value::Type;

use super::config::{DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS};

fn opt_string(name: &str, description: &str) -> Attribute {
    Attribute::new(name, Type::String, description).optional()
}

fn opt_number(name: &str, description: &str) -> Attribute {
    Attribute::new(name, Type::Number, description).optional()
}

// NOTE(protocol): LIST with max_items 1 (as alicloud does) rather than SINGLE: an absent block
// then arrives as an empty list, and `dynamic "assume_role"` blocks keep working.
fn single_list_block(name: &str, description: &str, attributes: Vec<Attribute>) -> NestedBlock {
    NestedBlock {
        type_name: name.to_string(),
        block: Block {
            attributes,
            description: description.to_string(),
            ..Block::default()
        },
        nesting: NestingMode::List,
        min_items: 0,
        max_items: 1,
    }
}

fn assume_role_block() -> NestedBlock {
    single_list_block(
        "assume_role",
        "Assume a RAM role with STS `AssumeRole`, signed with the credentials found by the chain.",
        vec![
            opt_string(
                "role_arn",
                "ARN of the RAM role to assume, e.g. `acs:ram::123456789012****:role/terraform`. \
                 Default: `ALIBABA_CLOUD_ROLE_ARN`; one of the two is required.",
            ),
            opt_string(
                "session_name",
                "Role session name shown in ActionTrail. Default: `terraform`.",
            ),
            opt_number(
                "session_expiration",
                "Lifetime of the temporary credentials in seconds, 900 to 43200. Default: 3600.",
            ),
            opt_string(
                "policy",
                "A RAM policy document (JSON) further restricting the role's permissions for this \
                 session.",
            ),
            opt_string(
                "external_id",
                "The external ID the role's trust policy requires, if any.",
            ),
        ],
    )
}

fn assume_role_with_oidc_block() -> NestedBlock {
    single_list_block(
        "assume_role_with_oidc",
        "Assume a RAM role with STS `AssumeRoleWithOIDC`, as CI systems such as GitHub Actions do. \
         Give `oidc_token` or `oidc_token_file`.",
        vec![
            opt_string("role_arn", "ARN of the RAM role to assume. Default: \
                                    `ALIBABA_CLOUD_ROLE_ARN`; one of the two is required."),
            opt_string("oidc_provider_arn", "ARN of the OIDC identity provider registered in RAM. \
                                             Default: `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`; one of \
                                             the two is required."),
            opt_string("oidc_token", "The OIDC token itself. Default: \
                                      `ALIBABA_CLOUD_OIDC_TOKEN`.").sensitive(),
            opt_string("oidc_token_file", "Path of a file holding the OIDC token; re-read whenever \
                                           credentials are refreshed. Default: \
                                           `ALIBABA_CLOUD_OIDC_TOKEN_FILE`."),
            opt_string("role_session_name", "Role session name shown in ActionTrail. Default: \
                                             `terraform`."),
            opt_number("session_expiration", "Lifetime of the temporary credentials in seconds, \
                                              900 to 43200. Default: 3600."),
            opt_string("policy", "A RAM policy document (JSON) further restricting the role's \
                                  permissions for this session."),
        ],
    )
}

fn endpoints_block() -> NestedBlock {
    single_list_block(
        "endpoints",
        "Endpoint URLs overriding the defaults, e.g. for a local emulator. Plain `http://` is \
         accepted only to this machine (`localhost`, `127.0.0.1`, `[::1]`); anything else must be \
         `https://`. https requests honour `HTTPS_PROXY` and `NO_PROXY`.",
        vec![
            opt_string(
                "ehpcinstant",
                "Base URL of the E-HPC Instant API, used for every region. Default: \
                 `https://ehpcinstant.<region>.aliyuncs.com`. Environment: \
                 `ALIBABA_CLOUD_ENDPOINT_EHPCINSTANT`.",
            ),
            opt_string(
                "sts",
                "Base URL of STS for `assume_role` and `assume_role_with_oidc`. Default: \
                 `https://sts.aliyuncs.com`. Environment: `ALIBABA_CLOUD_ENDPOINT_STS`.",
            ),
        ],
    )
}

/// The provider block's schema.
pub fn provider_schema() -> Schema {
    let attributes = vec![
        opt_string(
            "region",
            "The region whose E-HPC Instant endpoint receives calls, e.g. `cn-hangzhou`. Default: \
             `ALICLOUD_REGION`, then `ALIBABA_CLOUD_REGION`, then the `region_id` of the aliyun \
             CLI profile. Required in one of these places. An id outside the regions E-HPC Instant \
             is known to serve is a plan-time warning naming the nearest known id.",
        ),
        opt_string(
            "access_key",
            "AccessKey ID. Default: the credential chain: `ALICLOUD_ACCESS_KEY`, then \
             `ALIBABA_CLOUD_ACCESS_KEY_ID`, then `ALIBABACLOUD_ACCESS_KEY_ID` (the legacy \
             `ALICLOUD_*` names win, as in the alicloud provider), then the aliyun CLI profile, \
             the ECS instance RAM role, `credentials_uri`. Each of `access_key`, `secret_key` and \
             `security_token` is taken separately (attribute, else the first variable set). An \
             authentication error names where the key came from and its first 4 characters.",
        ),
        opt_string(
            "secret_key",
            "AccessKey secret belonging to `access_key`. Default: `ALICLOUD_SECRET_KEY`, then \
             `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, then `ALIBABACLOUD_ACCESS_KEY_SECRET`.",
        )
        .sensitive(),
        opt_string(
            "security_token",
            "STS security token, for temporary credentials. Default: `ALICLOUD_SECURITY_TOKEN`, \
             then `ALIBABA_CLOUD_SECURITY_TOKEN`, then `ALIBABACLOUD_SECURITY_TOKEN`.",
        )
        .sensitive(),
        opt_string(
            "profile",
            "Name of the aliyun CLI profile to use. Default: `ALIBABA_CLOUD_PROFILE`, then the \
             file's `current` profile.",
        ),
        opt_string(
            "shared_credentials_file",
            "Path of the aliyun CLI configuration file. Default: `~/.aliyun/config.json`.",
        ),
        opt_string(
            "ecs_role_name",
            "RAM role of the ECS instance Terraform runs on, read from the instance metadata \
             service (`ALIBABA_CLOUD_ENDPOINT_ECS_METADATA` overrides its URL).",
        ),
        opt_string(
            "credentials_uri",
            "URL of a local credentials service answering with temporary credentials.",
        ),
        opt_number(
            "max_retries",
            "The most times one failed call is retried (throttling, server and network errors \
             only); `0` disables retries. Not set (the default): retried with capped, jittered \
             backoff until the operation's deadline (the resource's `timeouts` for create, \
             update and delete, 5 minutes for refresh, import and data sources), as the alicloud \
             provider does. A refused connection is retried at most twice.",
        ),
        opt_number(
            "client_connect_timeout",
            &format!(
                "Timeout in milliseconds for opening a connection. Default: \
                 {DEFAULT_CONNECT_TIMEOUT_MS}."
            ),
        ),
        opt_number(
            "client_read_timeout",
            &format!(
                "Timeout in milliseconds for reading an answer. Default: {DEFAULT_READ_TIMEOUT_MS}."
            ),
        ),
    ];
    Schema {
        version: 0,
        block: Block {
            attributes,
            block_types: vec![
                assume_role_block(),
                assume_role_with_oidc_block(),
                endpoints_block(),
            ],
            description: "The `ehpc` provider manages Alibaba Cloud E-HPC Instant resources."
                .to_string(),
            ..Block::default()
        },
    }
}
