using System.Xml.Linq;
using LicenseRisk.Scoring;

namespace LicenseRisk.Tests.Ship;

/// <summary>
/// The Native AOT build compiles in NRules' collect aggregator for each lane, from the list in
/// src/LicenseRisk.Cli/aot.rd.xml. A lane added to SignalLanes without its line there would not
/// fail the AOT build: the type loader would make the type at run time, slower to start.
/// </summary>
public sealed class AotDirectivesTests
{
    [Fact]
    public void TheRdXml_ListsTheCollectAggregatorOfEveryLane_AndNothingElse()
    {
        var doc = XDocument.Load(Repo.Path("src/LicenseRisk.Cli/aot.rd.xml"));
        var listed = doc.Descendants().Where(e => e.Name.LocalName == "Type")
            .Select(e => (string?)e.Attribute("Name") ?? "")
            .ToList();

        var expected = SignalLanes.All
            .Select(l => $"NRules.Aggregators.CollectionAggregator`1[[{l.Fact.FullName},LicenseRisk.Engine]]")
            .ToList();
        listed.ShouldBe(expected);
        SignalLanes.All.Length.ShouldBe(SignalLanes.Count);
        typeof(NRules.ISession).Assembly.GetType("NRules.Aggregators.CollectionAggregator`1").ShouldNotBeNull();
    }
}
