using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace LicenseRisk;

/// <summary>
/// SHA-256 (lowercase hex) of what a run read or writes: the pack's files, a policy, a dossier, a
/// SARIF fingerprint. The same digest as System.Security.Cryptography.SHA256, computed in managed
/// code (BouncyCastle's Sha256Digest): on Linux .NET's own SHA-256 calls OpenSSL, and loading and
/// initializing libssl and libcrypto cost a Native AOT start-up about 7 ms of CPU and 200 page
/// faults (docs/performance.md, "Install routes: start-up and throughput") to hash a few
/// kilobytes.
/// </summary>
public sealed class ContentHash
{
    private readonly Sha256Digest _digest = new();

    /// <summary>The hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Of(ReadOnlySpan<byte> data) => new ContentHash().Append(data).Finish();

    /// <summary>The hex SHA-256 of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public ContentHash Append(ReadOnlySpan<byte> data)
    {
        _digest.BlockUpdate(data);
        return this;
    }

    /// <summary>The hex digest of everything appended (the hash cannot be appended to after this).</summary>
    public string Finish()
    {
        Span<byte> hash = stackalloc byte[32];
        _digest.DoFinal(hash);
        return Convert.ToHexStringLower(hash);
    }
}
