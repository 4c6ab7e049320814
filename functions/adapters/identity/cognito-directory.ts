import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityDirectory } from '../../../shared/ports';

const subOf = (attributes: { Name?: string; Value?: string }[] | undefined): string => {
  const sub = attributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new Error('Cognito returned a user without a sub');
  return sub;
};

/** Users sign in through the Cognito user pool; adding a member creates their Cognito user (Cognito emails the invitation). */
export class CognitoDirectory implements IdentityDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async ensureUser(email: string, name: string): Promise<string> {
    try {
      const { User } = await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      return subOf(User?.Attributes);
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'UsernameExistsException') throw error;
      const existing = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      // A member removed earlier was disabled; added again, they sign in again.
      if (existing.Enabled === false) await this.cognito.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: email }));
      return subOf(existing.UserAttributes);
    }
  }

  async restoreAccess(user: { readonly email: string }): Promise<void> {
    try {
      await this.cognito.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: user.email }));
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'UserNotFoundException') throw error;
    }
  }

  /** Revokes every refresh token (global sign-out), then disables the user so they cannot sign in again. */
  async revokeAccess(user: { readonly email: string }): Promise<void> {
    const target = { UserPoolId: this.userPoolId, Username: user.email };
    try {
      await this.cognito.send(new AdminUserGlobalSignOutCommand(target));
      await this.cognito.send(new AdminDisableUserCommand(target));
    } catch (error) {
      // Nobody to sign out (a member whose Cognito user was deleted by hand): nothing left to revoke.
      if (!(error instanceof Error) || error.name !== 'UserNotFoundException') throw error;
    }
  }
}
