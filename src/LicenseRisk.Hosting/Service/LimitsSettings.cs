using LicenseRisk.Yaml;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LicenseRisk.Hosting.Service;

/// <summary>
/// The service's input limits: section <c>LicenseRisk:Limits</c> (so LICENSERISK__LIMITS__* too), else
/// the LICENSERISK_LIMITS__* variables the CLI reads, which the host's environment provider maps to
/// section <c>LICENSERISK_LIMITS</c>. A bad value fails the start with the other settings' problems.
/// </summary>
public sealed class LimitsSettings : IValidateOptions<ServiceOptions>
{
    private readonly List<string> _problems = [];

    public LimitsSettings(IConfiguration configuration)
    {
        Value = Limits.Read(
            property =>
            {
                var key = $"{ServiceOptions.Section}:Limits:{property}";
                return configuration[key] is { } value
                    ? (key, value)
                    : ("LICENSERISK_LIMITS__" + property.ToUpperInvariant(), configuration["LICENSERISK_LIMITS:" + property]);
            },
            _problems);
    }

    public Limits Value { get; }

    public ValidateOptionsResult Validate(string? name, ServiceOptions options) =>
        _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);
}
