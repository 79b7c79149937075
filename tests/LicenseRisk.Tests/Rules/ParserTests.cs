using LicenseRisk.Rules.Syntax;

namespace LicenseRisk.Tests.Rules;

public sealed class ParserTests
{
    private static Expr Ok(string text)
    {
        var (expr, error) = Parser.Parse(text);
        error.ShouldBeNull();
        return expr!;
    }

    private static SyntaxError Fails(string text)
    {
        var (expr, error) = Parser.Parse(text);
        expr.ShouldBeNull();
        return error!;
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var e = Ok("a or b and c").ShouldBeOfType<BinaryExpr>();
        e.Op.ShouldBe(BinaryOp.Or);
        e.Right.ShouldBeOfType<BinaryExpr>().Op.ShouldBe(BinaryOp.And);
    }

    [Fact]
    public void Parse_BetweenTakesItsOwnAnd()
    {
        var e = Ok("x between 1 and 3 and y").ShouldBeOfType<BinaryExpr>();
        e.Op.ShouldBe(BinaryOp.And);
        var between = e.Left.ShouldBeOfType<BetweenExpr>();
        between.Low.ShouldBeOfType<LiteralExpr>().Value.ShouldBe(1.0);
        between.High.ShouldBeOfType<LiteralExpr>().Value.ShouldBe(3.0);
    }

    [Fact]
    public void Parse_ArithmeticPrecedence()
    {
        var e = Ok("1 + 2 * 3 > 6").ShouldBeOfType<BinaryExpr>();
        e.Op.ShouldBe(BinaryOp.Gt);
        var sum = e.Left.ShouldBeOfType<BinaryExpr>();
        sum.Op.ShouldBe(BinaryOp.Add);
        sum.Right.ShouldBeOfType<BinaryExpr>().Op.ShouldBe(BinaryOp.Mul);
    }

    [Fact]
    public void Parse_NotInAndIn()
    {
        Ok("s not in ['a', 'b']").ShouldBeOfType<InExpr>().Negated.ShouldBeTrue();
        var n = Ok("not s in ['a']").ShouldBeOfType<UnaryExpr>();
        n.Operand.ShouldBeOfType<InExpr>().Negated.ShouldBeFalse();
    }

    [Fact]
    public void Parse_MemberCallAndLiterals()
    {
        Ok("dep.person").ShouldBeOfType<MemberExpr>().Member.ShouldBe("person");
        var call = Ok("days(rel.date, dep.date)").ShouldBeOfType<CallExpr>();
        call.Args.Count.ShouldBe(2);
        Ok("\"it's\"").ShouldBeOfType<LiteralExpr>().Value.ShouldBe("it's");
        Ok("-3.5").ShouldBeOfType<LiteralExpr>().Value.ShouldBe(-3.5);
        Ok("true").ShouldBeOfType<LiteralExpr>().Value.ShouldBe(true);
    }

    [Theory]
    [InlineData("a ==", 4, "expected a value")]
    [InlineData("a = 1", 2, "use == to compare")]
    [InlineData("a && b", 2, "use 'and'")]
    [InlineData("'open", 0, "not closed")]
    [InlineData("(a or b", 7, "expected ')'")]
    [InlineData("x in 'a'", 5, "a list")]
    [InlineData("x between 1 or 2", 12, "'and' in 'between")]
    public void Parse_SyntaxErrors_PointAtTheProblem(string text, int pos, string message)
    {
        var error = Fails(text);
        error.Pos.ShouldBe(pos);
        error.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("x.GetType()", "method calls are not part of the rule language")]
    [InlineData("System.IO.File", "names cannot be chained")]
    [InlineData("items[0]", "indexing")]
    [InlineData("x => x", "use == to compare")]
    [InlineData("(string)x", "expected the end of the expression, found 'x'")]
    [InlineData("sеniority == 'lead'", "only ASCII letters")]
    public void Parse_HostileSyntax_IsRejected(string text, string message) =>
        Fails(text).Message.ShouldContain(message);

    [Fact]
    public void Parse_DeepNesting_IsAnErrorNotAStackOverflow()
    {
        var text = new string('(', 10_000) + "1" + new string(')', 10_000);
        Fails(text).Message.ShouldContain("limit");
        var nested = string.Concat(Enumerable.Repeat("(", 100)) + "1" + string.Concat(Enumerable.Repeat(")", 100));
        Fails(nested).Message.ShouldContain("nests deeper than 64");
        Fails(string.Concat(Enumerable.Repeat("not ", 200)) + "true").Message.ShouldContain("nests deeper");
    }

    [Fact]
    public void Template_SplitsTextAndExpressions()
    {
        var (parts, error) = TemplateParser.Parse("{dep.person} left {{after}} {days(a.date, b.date)} days");
        error.ShouldBeNull();
        parts.Count.ShouldBe(4);
        parts[1].ShouldBeOfType<TextPart>().Text.ShouldBe(" left {after} ");
        parts[2].ShouldBeOfType<ExprPart>().Expr.ShouldBeOfType<CallExpr>().Pos.ShouldBe(29);
    }

    [Fact]
    public void Template_UnclosedBrace_IsAnError()
    {
        var (_, error) = TemplateParser.Parse("x {dep.person");
        error!.Pos.ShouldBe(2);
    }
}
