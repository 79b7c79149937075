using System.Text.Json;
using LicenseRisk.Model;

namespace LicenseRisk.Presentation;

/// <summary>Settings shared by every JSON output.</summary>
public static class JsonOutput
{
    /// <summary>Indented, and text kept readable (only what JSON requires is escaped).</summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The <c>pack</c> object every JSON output starts with: name, version and sha256.</summary>
    public static void WritePack(Utf8JsonWriter w, PackInfo pack, string sha256)
    {
        w.WriteStartObject("pack");
        w.WriteString("name", pack.Name);
        w.WriteString("version", pack.Version);
        w.WriteString("sha256", sha256);
        w.WriteEndObject();
    }
}
