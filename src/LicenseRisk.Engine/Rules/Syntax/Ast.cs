namespace LicenseRisk.Rules.Syntax;

/// <summary>Expression syntax tree; <c>Pos</c> is the character offset in the expression text.</summary>
public abstract record Expr(int Pos);

public enum LiteralKind
{
    Number,
    String,
    Bool,
}

public sealed record LiteralExpr(int Pos, LiteralKind Kind, object Value) : Expr(Pos);

public sealed record ListExpr(int Pos, IReadOnlyList<Expr> Items) : Expr(Pos);

/// <summary>A bare name: a field of the item's own signal, a common field, <c>age</c>, <c>as_of</c> or an alias.</summary>
public sealed record NameExpr(int Pos, string Name) : Expr(Pos);

/// <summary><c>alias.field</c>.</summary>
public sealed record MemberExpr(int Pos, NameExpr Target, string Member, int MemberPos) : Expr(Pos);

public enum UnaryOp
{
    Not,
    Negate,
}

public sealed record UnaryExpr(int Pos, UnaryOp Op, Expr Operand) : Expr(Pos);

public enum BinaryOp
{
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

public sealed record BinaryExpr(int Pos, BinaryOp Op, Expr Left, Expr Right) : Expr(Pos);

public sealed record InExpr(int Pos, Expr Value, ListExpr List, bool Negated) : Expr(Pos);

public sealed record BetweenExpr(int Pos, Expr Value, Expr Low, Expr High) : Expr(Pos);

public sealed record CallExpr(int Pos, string Name, IReadOnlyList<Expr> Args) : Expr(Pos);

/// <summary>A syntax error at an offset of the expression text.</summary>
public sealed record SyntaxError(int Pos, string Message);
