namespace KubeSim;

/// <summary>One row of the token table: the user and the audiences the token is bound to (empty: any).</summary>
internal sealed record TokenIdentity(AuthUser User, IReadOnlyList<string> Audiences);
