using System.Globalization;
using LicenseRisk.Backtesting;
using LicenseRisk.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LicenseRisk.Presentation.Backtest;

/// <summary>
/// Writes what <c>calibrate</c> fitted as a policy overlay for <c>--policy</c>: the fitted prior and
/// every rule's fitted weight, with the pack it was fitted against. Emitted through YamlDotNet, so
/// any pack name or rule id is quoted when it has to be and reads back as written.
/// </summary>
public static class CalibrationOverlayWriter
{
    public static void Write(TextWriter writer, PackInfo pack, string packSha256, int cases, CalibrationResult fit)
    {
        var emitter = new Emitter(writer, EmitterSettings.Default.WithNewLine("\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        emitter.Emit(new Comment("Written by 'licenserisk calibrate'. A policy overlay: use with --policy. Review before shipping.", false));
        emitter.Emit(new MappingStart());
        Key(emitter, "policy");
        emitter.Emit(new MappingStart());
        Pair(emitter, "name", "calibration");
        Pair(emitter, "pack", $"{pack.Name} {pack.Version}");
        Pair(emitter, "pack_sha256", packSha256);
        Pair(emitter, "generated_by", $"licenserisk calibrate on {cases} cases");
        emitter.Emit(new MappingEnd());
        Pair(emitter, "prior", Number(fit.Prior));
        Key(emitter, "weights");
        emitter.Emit(new MappingStart());
        foreach (var (rule, _, fitted, _) in fit.Weights.OrderBy(w => w.Rule, StringComparer.Ordinal))
        {
            Pair(emitter, rule, Number(fitted));
        }

        emitter.Emit(new MappingEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
    }

    private static string Number(double value) => Math.Round(value, 4).ToString(CultureInfo.InvariantCulture);

    private static void Key(IEmitter emitter, string key) => emitter.Emit(new Scalar(key));

    private static void Pair(IEmitter emitter, string key, string value)
    {
        Key(emitter, key);
        emitter.Emit(new Scalar(value));
    }
}
