using System.Globalization;
using RulesEngine.Models;

namespace LicenseRisk.Benchmarks.Workload;

/// <summary>
/// The generated rules as a Microsoft RulesEngine workflow: one lambda-expression rule per
/// weighted rule; on success an OutputExpression action computes its strongest firing.
/// RulesEngine has no forward chaining, so a rule that reads a derived kind inlines the
/// condition of the rule that derives it.
/// </summary>
public sealed class RulesEngineWorkflow
{
    public const string Name = "licenserisk";
    private readonly IReadOnlyList<RuleSpec> _rules;
    private readonly RulesEngine.RulesEngine _engine;
    private readonly Dictionary<string, int> _index;

    public RulesEngineWorkflow(IReadOnlyList<RuleSpec> rules)
    {
        _rules = rules;
        var list = new List<Rule>();
        foreach (var spec in rules)
        {
            if (spec.Weight is null)
            {
                continue;
            }

            var source = spec.Shape == Shape.UseDerived ? rules.First(r => r.Shape == Shape.Derive && r.Derived == spec.Derived) : spec;
            var (expression, output) = Expressions(spec, source);
            list.Add(new Rule
            {
                RuleName = spec.Id,
                RuleExpressionType = RuleExpressionType.LambdaExpression,
                Expression = expression,
                Actions = new RuleActions
                {
                    OnSuccess = new ActionInfo { Name = "OutputExpression", Context = new Dictionary<string, object> { ["Expression"] = output } },
                },
            });
        }

        _index = rules.ToDictionary(r => r.Id, r => r.Index, StringComparer.Ordinal);
        var workflow = new Workflow { WorkflowName = Name, Rules = list };
        _engine = new RulesEngine.RulesEngine([workflow], new ReSettings { EnableExceptionAsErrorMessage = false });
    }

    public double Score(WDossier dossier)
    {
        var results = _engine.ExecuteAllRulesAsync(Name, new RuleParameter("input1", dossier)).AsTask().GetAwaiter().GetResult();
        var strongest = new double[_rules.Count];
        foreach (var r in results)
        {
            if (r.IsSuccess)
            {
                strongest[_index[r.Rule.RuleName]] = Convert.ToDouble(r.ActionResult.Output, CultureInfo.InvariantCulture);
            }
        }

        return Reference.Probability(_rules, strongest);
    }

    private static string N(double d) => d.ToString("0.0###############", CultureInfo.InvariantCulture);

    private static (string Expression, string Output) Expressions(RuleSpec spec, RuleSpec source)
    {
        var hl = N(spec.HalfLife);
        var self = $"s.Kind == {source.Kind} && s.Level >= {N(source.Level)}" + (source.Tag is null ? string.Empty : $" && s.Tag == \"{source.Tag}\"");
        switch (spec.Shape)
        {
            case Shape.Single or Shape.UseDerived:
                return ($"input1.Signals.Any(s => {self})",
                    $"input1.Signals.Where(s => {self}).Max(s => s.Confidence * Math.Pow(2.0, -s.Age / {hl}))");
            case Shape.Join:
                var a = $"a.Kind == {spec.Kind} && a.Level >= {N(spec.Level)}";
                var b = $"b.Kind == {spec.Kind2} && b.Tag == \"{spec.Tag2}\" && b.Day - a.Day >= 0 && b.Day - a.Day <= {spec.Window}";
                return ($"input1.Signals.Any(a => {a} && input1.Signals.Any(b => {b}))",
                    $"input1.Signals.Where(a => {a}).SelectMany(a => input1.Signals.Where(b => {b}).Select(b => a.Confidence * b.Confidence * Math.Pow(2.0, -Math.Min(a.Age, b.Age) / {hl}))).Max()");
            case Shape.No:
                var first = $"a.Kind == {spec.Kind} && a.Level >= {N(spec.Level)} && !input1.Signals.Any(b => b.Kind == {spec.Kind2} && b.Tag == \"{spec.Tag2}\" && b.Day >= a.Day)";
                return ($"input1.Signals.Any(a => {first})",
                    $"input1.Signals.Where(a => {first}).Max(a => a.Confidence * Math.Pow(2.0, -a.Age / {hl}))");
            default:
                var matched = $"s.Kind == {spec.Kind} && s.Level >= {N(spec.Level)}";
                var top = $"input1.Signals.Where(s => {matched}).OrderByDescending(s => s.Confidence).ThenByDescending(s => s.Day).Take({spec.AtLeast})";
                return ($"input1.Signals.Count(s => {matched}) >= {spec.AtLeast}",
                    $"Math.Exp({top}.Sum(s => Math.Log(s.Confidence))) * Math.Pow(2.0, -input1.Signals.Where(s => {matched}).Min(s => s.Age) / {hl})");
        }
    }
}
