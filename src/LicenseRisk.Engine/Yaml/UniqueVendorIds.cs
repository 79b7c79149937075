using LicenseRisk.Model;

namespace LicenseRisk.Yaml;

/// <summary>
/// Checks that vendor ids are unique across dossiers (a backtest case's id with its case.as_of).
/// A duplicate is an error (<see cref="DiagnosticCodes.DuplicateVendorId"/>) at both files, each naming the other: neither file is the one to
/// blame for sure, and the user sees both places to fix whichever file was read first.
/// </summary>
public sealed class UniqueVendorIds
{
    private readonly Dictionary<string, SourceSpan> _first = new(StringComparer.Ordinal);

    /// <summary>True when the dossier's id is new; otherwise reports the duplicate at both files.</summary>
    public bool Add(Dossier d, DiagnosticBag diags)
    {
        var key = d.Case is null ? d.Vendor.Id : $"{d.Vendor.Id}@{d.Case.AsOf:yyyy-MM-dd}";
        if (_first.TryGetValue(key, out var first))
        {
            diags.Report(d.Vendor.Span, DiagnosticCodes.DuplicateVendorId, $"vendor id '{d.Vendor.Id}' is already used by {first}");
            diags.Report(first, DiagnosticCodes.DuplicateVendorId, $"vendor id '{d.Vendor.Id}' is used again by {d.Vendor.Span}");
            return false;
        }

        _first[key] = d.Vendor.Span;
        return true;
    }
}
