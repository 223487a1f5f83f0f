using System;
using System.IO;
using HaTools.Core.Model;
using HaTools.Core.Spec;
using HaTools.PowerShell.Infrastructure;
using Xunit;

namespace HaTools.Tests;

/// <summary>The module's exception → (ErrorId, ErrorCategory) table. The ErrorRecord itself is built by ErrorMapper in the module.</summary>
public class ErrorClassifierTests
{
    private static NodeCommandException NodeFailure(int exit, string stderr, bool timedOut = false, bool unreachable = false, string? error = null) =>
        new("node1", "crm_mon", new CommandResult { Node = "node1", ExitCode = exit, StdErr = stderr, TimedOut = timedOut, Unreachable = unreachable, Error = error });

    public static TheoryData<Exception, string, string, bool> Cases() => new()
    {
        { new SpecException(new[] { new SpecProblem(new SourcePosition("/c/cluster.yaml", 3, 5), "nodes[0].name", "bad") }), "ClusterFileInvalid", "InvalidArgument", true },
        { NodeFailure(255, "Host key verification failed.", unreachable: true), "NodeHostKeyRefused", "SecurityError", false },
        { NodeFailure(255, "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@"), "NodeHostKeyRefused", "SecurityError", false },
        { NodeFailure(255, "root@10.0.0.1: Permission denied (publickey,password)."), "NodeAuthenticationFailed", "SecurityError", false },
        { NodeFailure(1, "cat: /etc/shadow: Permission denied"), "NodeCommandFailed", "InvalidOperation", false },
        { NodeFailure(-1, "", timedOut: true), "NodeTimedOut", "OperationTimeout", false },
        { NodeFailure(255, "ssh: connect to host 10.0.0.1 port 22: Connection refused", unreachable: true), "NodeUnreachable", "ConnectionError", false },
        { NodeFailure(255, "ssh: connect to host 10.0.0.1 port 22: No route to host"), "NodeUnreachable", "ConnectionError", false },
        { NodeFailure(-1, "", error: "connection closed", unreachable: true), "NodeUnreachable", "ConnectionError", false },
        { new HaTimeoutException("vip did not start within 120 s", "vip"), "WaitTimedOut", "OperationTimeout", false },
        { new NotFoundException("node 'node9' is not in cluster 'web'", "node9"), "NodeNotFound", "ObjectNotFound", false },
        { new NotFoundException("resource 'vip2' does not exist", "vip2"), "ResourceNotFound", "ObjectNotFound", false },
        { new NotFoundException("constraint 'x' does not exist", "x"), "ConstraintNotFound", "ObjectNotFound", false },
        { new ClusterStateException("no quorum", "web"), "ClusterStateInvalid", "InvalidOperation", false },
        { new HaException("something else"), "HaOperationFailed", "InvalidOperation", false },
        { new AggregateException(new HaTimeoutException("t")), "WaitTimedOut", "OperationTimeout", false },
        { new OperationCanceledException(), "OperationStopped", "OperationStopped", false },
        { new NotImplementedException(), "HaNotImplemented", "NotImplemented", false },
        { new NotSupportedException("stack 'consul' is not implemented yet"), "StackNotSupported", "NotImplemented", true },
        { new FileNotFoundException("x"), "FileNotFound", "ObjectNotFound", true },
        { new UnauthorizedAccessException("x"), "FileAccessDenied", "PermissionDenied", true },
        { new ArgumentException("x"), "ArgumentInvalid", "InvalidArgument", true },
        { new InvalidOperationException("x"), "HaUnexpectedError", "NotSpecified", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Maps_exception(Exception exception, string errorId, string category, bool terminating)
    {
        var c = ErrorClassifier.Classify(exception);
        Assert.Equal(errorId, c.ErrorId);
        Assert.Equal(category, c.Category);
        Assert.Equal(terminating, c.Terminating);
        Assert.Contains(c.Category, ErrorClassifier.Categories);
    }

    [Fact]
    public void NotFound_without_a_telling_message_uses_the_cmdlet_object_kind() =>
        Assert.Equal("ResourceNotFound", ErrorClassifier.Classify(new NotFoundException("'x' does not exist"), "Resource").ErrorId);

    [Fact]
    public void A_command_that_ran_is_not_an_error_whatever_its_exit_code()
    {
        Assert.Null(ErrorClassifier.ClassifyResult(new CommandResult { ExitCode = 0 }));
        Assert.Null(ErrorClassifier.ClassifyResult(new CommandResult { ExitCode = 3, StdErr = "Permission denied (publickey)" }));
        Assert.Null(ErrorClassifier.ClassifyResult(new CommandResult { ExitCode = 255 }));
    }

    [Theory]
    [InlineData(true, false, null, "", "NodeTimedOut")]
    [InlineData(false, true, "connect: Connection refused", "", "NodeUnreachable")]
    [InlineData(false, true, "ssh failed", "Host key verification failed.", "NodeHostKeyRefused")]
    [InlineData(false, false, "ssh failed", "Permission denied, please try again.", "NodeAuthenticationFailed")]
    [InlineData(false, false, "cancelled", "", "NodeUnreachable")]
    public void Command_that_could_not_run(bool timedOut, bool unreachable, string? error, string stderr, string errorId)
    {
        var c = ErrorClassifier.ClassifyResult(new CommandResult { ExitCode = 255, TimedOut = timedOut, Unreachable = unreachable, Error = error, StdErr = stderr });
        Assert.Equal(errorId, c?.ErrorId);
    }

    [Theory]
    [InlineData("Host key verification failed.", "NodeHostKeyRefused")]
    [InlineData("mv: cannot move: Permission denied", "FilePushFailed")]
    [InlineData("ssh: connect to host n1 port 22: Connection refused", "NodeUnreachable")]
    public void Failed_push(string error, string errorId) =>
        Assert.Equal(errorId, ErrorClassifier.ClassifyPush(new FilePushResult { Status = FileChange.Failed, Error = error }).ErrorId);

    [Fact]
    public void ErrorIds_are_Noun_Failure_pascal_case()
    {
        foreach (var field in typeof(ErrorClassifier).GetFields())
            if (field.GetValue(null) is ErrorClass c) Assert.Matches("^[A-Z][a-z]+[A-Z][A-Za-z]+$", c.ErrorId);
    }

    [Theory]
    [InlineData(FailureKind.Unreachable, "NodeUnreachable", "ConnectionError")]
    [InlineData(FailureKind.HostKeyRefused, "NodeHostKeyRefused", "SecurityError")]
    [InlineData(FailureKind.AuthFailed, "NodeAuthenticationFailed", "SecurityError")]
    [InlineData(FailureKind.TimedOut, "NodeTimedOut", "OperationTimeout")]
    [InlineData(FailureKind.ConnectionLost, "NodeUnreachable", "ConnectionError")]
    [InlineData(FailureKind.CannotStart, "NodeUnreachable", "ConnectionError")]
    public void A_typed_result_is_classified_by_its_kind_whatever_its_text(FailureKind kind, string errorId, string category)
    {
        // The text says something else on purpose: only the kind counts once a runner set it.
        var c = ErrorClassifier.ClassifyResult(new CommandResult { ExitCode = 255, Failure = kind, Error = "x", StdErr = "Host key verification failed." });
        Assert.Equal((errorId, category), (c?.ErrorId, c?.Category));
        Assert.Equal(ErrorCodes.For(kind)!.ErrorId, errorId);
    }

    [Fact]
    public void A_typed_command_exception_is_classified_by_its_kind()
    {
        var e = new NodeCommandException("node1", "x", new CommandResult { ExitCode = 255, Failure = FailureKind.AuthFailed, StdErr = "Connection refused" });
        Assert.Equal(FailureKind.AuthFailed, e.Failure);
        Assert.True(e.Unreachable);
        Assert.Equal("NodeAuthenticationFailed", ErrorClassifier.Classify(e).ErrorId);
    }

    [Fact]
    public void The_bool_properties_follow_the_kind()
    {
        var r = new CommandResult { Failure = FailureKind.HostKeyRefused };
        Assert.True(r.Unreachable);
        Assert.False(r.TimedOut);
        r.TimedOut = true;
        Assert.Equal(FailureKind.TimedOut, r.Failure);
        Assert.False(r.Unreachable);
        Assert.False(new CommandResult { Failure = FailureKind.ConnectionLost }.Unreachable);
    }

    [Fact]
    public void NotFound_is_keyed_on_its_object_kind_not_its_message()
    {
        Assert.Equal("ConstraintNotFound", ErrorClassifier.Classify(new NotFoundException(ObjectKind.Constraint, "node-like text 'x'", "x")).ErrorId);
        Assert.Equal("NodeNotFound", ErrorClassifier.Classify(new NotFoundException(ObjectKind.Node, "'x' is gone"), "Resource").ErrorId);
    }

    [Fact]
    public void A_missing_capability_has_its_own_id_in_the_module_and_the_cli()
    {
        var e = new HaTools.Core.Stacks.StackCapabilityMissingException("teststack", "node standby", "c");
        var c = ErrorClassifier.Classify(e);
        Assert.Equal(("StackCapabilityMissing", "NotImplemented", true), (c.ErrorId, c.Category, c.Terminating));
        Assert.Equal("c", e.Target);
        Assert.Contains("node standby", e.Message);
        Assert.NotEqual(0, ErrorCodes.ExitCode(ErrorCodes.Classify(e)));
    }

    [Fact]
    public void Cli_exit_codes_follow_the_category()
    {
        Assert.Equal(1, ErrorCodes.ExitCode(ErrorCodes.Classify(new SpecException(Array.Empty<SpecProblem>()))));
        Assert.Equal(3, ErrorCodes.ExitCode(ErrorCodes.For(FailureKind.Unreachable)!));
        Assert.Equal(3, ErrorCodes.ExitCode(ErrorCodes.For(FailureKind.HostKeyRefused)!));
        Assert.Equal(4, ErrorCodes.ExitCode(ErrorCodes.For(FailureKind.TimedOut)!));
        Assert.Equal(5, ErrorCodes.ExitCode(ErrorCodes.Classify(new NotFoundException(ObjectKind.Resource, "r"))));
        Assert.Equal(130, ErrorCodes.ExitCode(ErrorCodes.Classify(new OperationCanceledException())));
        Assert.Equal(1, ErrorCodes.ExitCode(ErrorCodes.Classify(new ClusterStateException("no quorum"))));
    }
}
