using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LicenseRisk.Web;

/// <summary>Security headers on every answer: a strict content security policy (no script at all), no framing, no sniffing.</summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>No script runs; styles come from /static/site.css only; forms post to this site only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        return next(ctx);
    }
}

/// <summary>The token that actions changing state require, compared in constant time.</summary>
public static class Token
{
    public enum Check
    {
        Ok,
        NotConfigured,
        Missing,
        Wrong,
    }

    /// <summary>Checks <paramref name="given"/> against the configured token (empty configured: every action refused).</summary>
    public static Check Verify(string? configured, string? given)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return Check.NotConfigured;
        }

        if (string.IsNullOrEmpty(given))
        {
            return Check.Missing;
        }

        // Hash both so the comparison's length is fixed and does not reveal the token's length.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(configured));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        return CryptographicOperations.FixedTimeEquals(a, b) ? Check.Ok : Check.Wrong;
    }

    /// <summary>The bearer token of an <c>Authorization</c> header, or null.</summary>
    public static string? Bearer(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    public static string Explain(Check c) => c switch
    {
        Check.NotConfigured => "actions are disabled: no token is configured (LicenseRisk:Web:Token or LICENSERISK__WEB__TOKEN)",
        Check.Missing => "this action needs the token: Authorization: Bearer TOKEN",
        _ => "wrong token",
    };

    public static int Status(Check c) => c == Check.NotConfigured || c == Check.Wrong ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
}
