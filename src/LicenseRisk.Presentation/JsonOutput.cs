namespace LicenseRisk.Presentation;

/// <summary>Settings shared by every JSON output.</summary>
public static class JsonOutput
{
    /// <summary>Indented, and text kept readable (only what JSON requires is escaped).</summary>
    public static readonly System.Text.Json.JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
