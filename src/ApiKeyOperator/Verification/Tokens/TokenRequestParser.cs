using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ApiKeyOperator.Verification.Tokens;

/// <summary>
/// Reads a token request (RFC 6749 §4.4.2) from its <c>Authorization</c> header, content type and form body, free of
/// I/O. Checks shape only: whether the credentials are right is the <see cref="KeyVerifier"/>'s call.
/// </summary>
public static class TokenRequestParser
{
    public const string GrantTypeClientCredentials = "client_credentials";

    private static readonly string[] KnownParameters = ["grant_type", "scope", "client_id", "client_secret"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (TokenRequest? Request, TokenError? Error) Parse(string? authorization, string? contentType, ReadOnlySpan<byte> body)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(TokenError.InvalidRequest("the request body must be application/x-www-form-urlencoded"));
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Fail(TokenError.InvalidRequest("the request body is not UTF-8"));
        }

        var form = QueryHelpers.ParseNullableQuery(text.StartsWith('?') ? "&" + text : text) ?? [];
        // RFC 6749 §3.2: parameters MUST NOT be included more than once; §3.1: an empty value is an omitted one.
        var repeated = form.Where(p => p.Value.Count > 1).Select(p => p.Key).Order(StringComparer.Ordinal).FirstOrDefault();
        if (repeated is not null)
        {
            // Only names of this grammar are echoed: the request's own text never is.
            return Fail(TokenError.InvalidRequest(
                KnownParameters.Contains(repeated) ? $"parameter {repeated} is repeated" : "a parameter is repeated"));
        }

        string? Value(string name) => form.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;

        var grantType = Value("grant_type");
        if (grantType is null)
        {
            return Fail(TokenError.InvalidRequest("grant_type is required"));
        }

        var (credentials, authError) = ClientCredentials(authorization, Value("client_id"), Value("client_secret"));
        if (credentials is null)
        {
            return Fail(authError!);
        }

        var scope = Value("scope");
        IReadOnlyList<string>? scopes = null;
        if (scope is not null)
        {
            if (!scope.All(IsScopeChar))
            {
                return Fail(TokenError.InvalidScope("scope must be space-separated scope tokens of printable ASCII without '\"' or '\\'"));
            }

            scopes = [.. scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
            scopes = scopes.Count == 0 ? null : scopes;
        }

        var (clientId, clientSecret, method) = credentials.Value;
        return (new TokenRequest(clientId, clientSecret, method, grantType, scopes), null);
    }

    private static ((string Id, string Secret, ClientAuthMethod Method)? Credentials, TokenError? Error) ClientCredentials(
        string? authorization, string? formId, string? formSecret)
    {
        const string basic = "Basic ";
        if (string.IsNullOrEmpty(authorization))
        {
            return formId is not null && formSecret is not null
                ? ((formId, formSecret, ClientAuthMethod.ClientSecretPost), null)
                : (null, TokenError.InvalidClient());
        }

        if (!authorization.StartsWith(basic, StringComparison.OrdinalIgnoreCase))
        {
            return (null, TokenError.InvalidClient());
        }

        // RFC 6749 §2.3.1: one method per request.
        if (formSecret is not null)
        {
            return (null, TokenError.InvalidRequest("the client authenticated with both HTTP Basic and client_secret; use one"));
        }

        if (!TryDecodeBasic(authorization[basic.Length..].Trim(), out var id, out var secret))
        {
            return (null, TokenError.InvalidClient());
        }

        if (formId is not null && formId != id)
        {
            return (null, TokenError.InvalidRequest("client_id differs from the client in the Authorization header"));
        }

        return ((id, secret, ClientAuthMethod.ClientSecretBasic), null);
    }

    /// <summary>RFC 6749 §2.3.1: <c>base64(urlencode(id) ":" urlencode(secret))</c>. curl's raw values decode the same for our alphabet.</summary>
    internal static bool TryDecodeBasic(string encoded, out string id, out string secret)
    {
        id = secret = "";
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return false;
        }

        string pair;
        try
        {
            pair = StrictUtf8.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            Array.Clear(buffer);
        }

        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == pair.Length - 1)
        {
            return false;
        }

        id = FormDecode(pair[..colon]);
        secret = FormDecode(pair[(colon + 1)..]);
        return true;
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by spaces.</summary>
    private static bool IsScopeChar(char c) => c == ' ' || (c >= 0x21 && c <= 0x7E && c != '"' && c != '\\');

    private static (TokenRequest?, TokenError?) Fail(TokenError error) => (null, error);
}
