import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { Naming } from "../stage.js";

export interface IdentityProps {
  readonly naming: Naming;
  /**
   * Minimum password length; the single-machine mode enforces the same (PASSWORD_MIN_LENGTH).
   * @default 8
   */
  readonly passwordMinLength?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Accounts: sign-in with email, verified by a code Cognito emails, a length-only password policy
 * (like the local mode: NIST 800-63B favours length over composition rules), and one public app
 * client for USER_PASSWORD_AUTH plus refresh, used by the auth Lambda and the API pods.
 */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, "UserPool", {
      userPoolName: props.naming.name("users"),
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      userVerification: { emailStyle: cognito.VerificationEmailStyle.CODE },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: props.passwordMinLength ?? 8,
        requireLowercase: false,
        requireUppercase: false,
        requireDigits: false,
        requireSymbols: false,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.client = this.userPool.addClient("Client", {
      userPoolClientName: props.naming.name("app"),
      generateSecret: false,
      authFlows: { userPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG1",
      reason:
        "Length-only policy (>= 8) on purpose: it matches the local mode and NIST 800-63B; composition rules lower real strength.",
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG2",
      reason: "MFA is not part of the product's sign-in flow yet (USER_PASSWORD_AUTH only); tracked as a follow-up.",
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG8",
      reason: "The Plus feature plan is priced per MAU; Essentials covers email sign-in, verification and refresh.",
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG3",
      reason:
        "Threat protection needs the Plus feature plan (priced per MAU); the accounts Lambda rate-limits sign-in attempts itself.",
    });
  }

  /** For the notify Lambda: look a user up by id to find their email address. Nothing else. */
  grantLookup(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["cognito-idp:AdminGetUser", "cognito-idp:ListUsers"],
      resourceArns: [this.userPool.userPoolArn],
    });
  }
}
