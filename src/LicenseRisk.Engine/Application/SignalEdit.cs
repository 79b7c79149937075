using LicenseRisk.Model;
using YamlDotNet.RepresentationModel;

namespace LicenseRisk.Application;

/// <summary>
/// A signal of the dossier being edited, as an edit names it: its number in the listing (1 for the
/// dossier's first signal; added signals are numbered on after the dossier's, in the order they are
/// added), or its id. Text made of digits only is a number.
/// </summary>
public sealed record SignalRef(string Text, SourceSpan Span)
{
    /// <summary>The 1-based number, or null when the text is an id.</summary>
    public int? Number => Text.Length > 0 && Text.Length <= 9 && Text.All(char.IsAsciiDigit) ? int.Parse(Text, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>One change to a dossier's signals in a what-if, located where it was written.</summary>
public abstract record SignalEdit(SourceSpan Span);

/// <summary>Adds a signal (already checked against the pack's kinds, as a dossier's signal is).</summary>
public sealed record AddSignal(SignalRecord Signal) : SignalEdit(Signal.Span);

/// <summary>Removes a signal.</summary>
public sealed record RemoveSignal(SignalRef Target) : SignalEdit(Target.Span);

/// <summary>
/// Sets one field of a signal (a field of its kind, or date, confidence, source, note or id) to a
/// YAML value, checked against the field's type when applied; a null value unsets an optional field.
/// <paramref name="ValueFile"/> names where the value was written, for the value's own located errors.
/// </summary>
public sealed record SetField(SignalRef Target, string Field, YamlNode Value, string ValueFile, SourceSpan Span) : SignalEdit(Span)
{
    /// <summary>How the edit reads, e.g. <c>3.date=2026-01-01</c>.</summary>
    public string Text => $"{Target.Text}.{Field}={(Value is YamlScalarNode s ? s.Value : Value.ToString())}";
}
