// Mode 6 authentication and writes (ntpd 4.2.8 ntp_control.c process_control, configure,
// write_variables): a write needs a request signed with the controlkey, trusted for the source;
// anything else gets CERR_PERMISSION and reaches no configurator. An authenticated request is
// answered with every fragment signed by the same key. CONFIGURE answers text: the
// configurator's answer, the nomodify refusal, or the unprintable-character refusal; WRITEVAR
// refuses writing built-in variables; SAVECONFIG says no saveconfigdir is configured.
using System.Net;
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Mode6;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Control;

public sealed class ControlAuthenticationTests
{
    private static readonly SymmetricKey s_control = new(1, KeyType.Md5, "secretpw"u8, []);
    private static readonly SymmetricKey s_trustedOther = new(2, KeyType.Sha1, Convert.FromHexString("0123456789abcdef0123456789abcdef01234567"), []);
    private static readonly SymmetricKey s_untrusted = new(3, KeyType.Md5, "untrusted"u8, []);
    private static readonly SymmetricKey s_lanOnly = new(4, KeyType.Md5, "lan"u8, [new KeyAccessEntry(IPAddress.Parse("192.0.2.0"), 24)]);
    private static readonly ClientAddress s_client = AccessTestConfig.Address("127.0.0.1", 40000);

    private readonly EngineTestClock _clock = new();
    private readonly NtpEngine _engine;
    private readonly RecordingConfigurator _configurator = new();

    public ControlAuthenticationTests()
    {
        var ring = new KeyRing(new KeyTable([s_control, s_trustedOther, s_untrusted, s_lanOnly]), [1u, 2u, 4u]);
        _engine = new NtpEngine(new EngineConfiguration(
            [new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false)], [], DisciplineEnabled: false, Keys: ring, ControlKey: 1), -24);
        _engine.Control.Configurator = _configurator;
        var actions = new EngineActions();
        _engine.Start(_clock.Now, actions);
        _clock.Advance(1);
        _engine.OnTimer(_clock.Now, actions);
    }

    private sealed class RecordingConfigurator : IRuntimeConfigurator
    {
        public List<string> Texts { get; } = [];

        public string Configure(string text, in ClientAddress source, LoopTime now, EngineActions actions)
        {
            Texts.Add(text);
            return "Config Succeeded";
        }
    }

    private static byte[] Request(ControlOpcode opcode, string text, SymmetricKey? key, ushort associationId = 0)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        var request = new byte[key is null ? ControlMessage.HeaderSize + ControlMessage.PaddedLength(data.Length) : ControlMac.SignedLength(data.Length, key)];
        ControlMessage.Write(ControlHeader.Request(opcode, 9, associationId, (ushort)data.Length), data, request);
        if (key is not null)
        {
            ControlMac.Sign(key, request, data.Length);
        }

        return request;
    }

    private byte[][] Send(byte[] request, RestrictFlags flags = RestrictFlags.None, ClientAddress? client = null) =>
        [.. _engine.Control.Respond(request, _clock.Now, client ?? s_client, flags)];

    private static (ControlHeader Header, string Text) Read(byte[] fragment)
    {
        Assert.True(ControlMessage.TryRead(fragment, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _));
        return (header, Encoding.ASCII.GetString(data));
    }

    private static void AssertError(byte[][] answer, ControlErrorCode code)
    {
        (ControlHeader header, _) = Read(Assert.Single(answer));
        Assert.True(header.IsError);
        Assert.Equal(code, header.ErrorCode);
    }

    [Fact]
    public void Configure_SignedWithControlKey_ReachesTheConfiguratorAndIsAnsweredSigned()
    {
        byte[][] answer = Send(Request(ControlOpcode.Configure, "server 192.0.2.7 iburst", s_control));
        byte[] fragment = Assert.Single(answer);
        (ControlHeader header, string text) = Read(fragment);
        Assert.False(header.IsError);
        Assert.Equal("Config Succeeded", text);
        Assert.Equal(["server 192.0.2.7 iburst"], _configurator.Texts);
        Assert.True(ControlMac.Verify(s_control, fragment, header.Count));
    }

    [Theory]
    [InlineData(0)] // no MAC
    [InlineData(2)] // trusted, but not the controlkey
    [InlineData(3)] // the right id space but not trusted
    [InlineData(4)] // trusted, but its access list excludes 127.0.0.1
    public void Configure_WithoutTheControlKey_IsRefusedWithPermission(int keyId)
    {
        SymmetricKey? key = keyId switch { 2 => s_trustedOther, 3 => s_untrusted, 4 => s_lanOnly, _ => null };
        AssertError(Send(Request(ControlOpcode.Configure, "server 192.0.2.7", key)), ControlErrorCode.Permission);
        Assert.Empty(_configurator.Texts);
        Assert.Equal(1, _engine.Control.WritesRefused);
    }

    [Fact]
    public void Configure_WithAForgedDigest_IsRefusedAndCounted()
    {
        byte[] request = Request(ControlOpcode.Configure, "server 192.0.2.7", s_control);
        request[^1] ^= 0x55;
        AssertError(Send(request), ControlErrorCode.Permission);
        Assert.Equal(1, _engine.Control.AuthenticationFailures);
        Assert.Empty(_configurator.Texts);
    }

    [Fact]
    public void Configure_NoModifySource_GetsNtpdsRefusalText()
    {
        (ControlHeader header, string text) = Read(Assert.Single(Send(Request(ControlOpcode.Configure, "server 192.0.2.7", s_control), RestrictFlags.NoModify)));
        Assert.False(header.IsError);
        Assert.Equal("runtime configuration prohibited by restrict ... nomodify", text);
        Assert.Empty(_configurator.Texts);
    }

    [Fact]
    public void Configure_UnprintableCharacter_IsRefused_TrailingNulIsNot()
    {
        (_, string text) = Read(Assert.Single(Send(Request(ControlOpcode.Configure, "server 192.0.2.7\u0001", s_control))));
        Assert.Equal("runtime configuration failed: request contains an unprintable character", text);
        (_, text) = Read(Assert.Single(Send(Request(ControlOpcode.Configure, "server 192.0.2.8\0\0", s_control))));
        Assert.Equal("Config Succeeded", text);
        Assert.Equal(["server 192.0.2.8"], _configurator.Texts);
    }

    [Fact]
    public void Configure_ForAnAssociation_IsBadValue() =>
        AssertError(Send(Request(ControlOpcode.Configure, "server 192.0.2.7", s_control, associationId: 1)), ControlErrorCode.BadValue);

    [Fact]
    public void Configure_WithoutConfigurator_SaysSo()
    {
        _engine.Control.Configurator = null;
        (_, string text) = Read(Assert.Single(Send(Request(ControlOpcode.Configure, "server 192.0.2.7", s_control))));
        Assert.Equal("runtime configuration is not available", text);
    }

    [Theory]
    [InlineData("stratum=3", 0, ControlErrorCode.Permission)]
    [InlineData("nosuchvariable=1", 0, ControlErrorCode.UnknownVariable)]
    [InlineData("stratum=3", 1, ControlErrorCode.Permission)]
    public void WriteVariables_Authenticated_BuiltInVariablesAreNotWritable(string assignment, ushort associationId, ControlErrorCode code) =>
        AssertError(Send(Request(ControlOpcode.WriteVariables, assignment, s_control, associationId)), code);

    [Fact]
    public void WriteVariables_AuthenticatedAndEmpty_IsAnsweredWithNoData()
    {
        (ControlHeader header, string text) = Read(Assert.Single(Send(Request(ControlOpcode.WriteVariables, string.Empty, s_control))));
        Assert.False(header.IsError);
        Assert.Equal(string.Empty, text);
    }

    [Fact]
    public void SaveConfig_Authenticated_SaysNoSaveConfigDir()
    {
        (_, string text) = Read(Assert.Single(Send(Request(ControlOpcode.SaveConfig, "ntp.conf.saved", s_control))));
        Assert.Equal("saveconfig prohibited, no saveconfigdir configured", text);
    }

    [Fact]
    public void ReadVariables_Authenticated_EveryFragmentIsSigned()
    {
        byte[][] answer = Send(Request(ControlOpcode.ReadVariables, string.Empty, s_trustedOther, associationId: 1));
        Assert.True(answer.Length > 1);
        foreach (byte[] fragment in answer)
        {
            (ControlHeader header, _) = Read(fragment);
            Assert.True(ControlMac.Verify(s_trustedOther, fragment, header.Count));
        }
    }

    [Fact]
    public void ReadVariables_Unauthenticated_IsAnsweredUnsigned()
    {
        byte[] fragment = Assert.Single(Send(Request(ControlOpcode.ReadVariables, "stratum", null)));
        (ControlHeader header, string text) = Read(fragment);
        Assert.Equal("stratum=11", text.TrimEnd('\r', '\n'));
        Assert.Equal(ControlMessage.HeaderSize + ControlMessage.PaddedLength(header.Count), fragment.Length);
    }

    [Fact]
    public void NoControlKeyConfigured_EvenATrustedKeyCannotWrite()
    {
        _engine.Control.ControlKey = null;
        AssertError(Send(Request(ControlOpcode.Configure, "server 192.0.2.7", s_control)), ControlErrorCode.Permission);
    }

    [Fact]
    public void OrderedLists_OnlyToTheControlKey()
    {
        AssertError(Send(Request(ControlOpcode.ReadOrderedList, "addr_restrictions", null)), ControlErrorCode.Permission);
        AssertError(Send(Request(ControlOpcode.ReadOrderedList, "", s_trustedOther)), ControlErrorCode.Permission);
        Assert.Equal(2, _engine.Control.OrderedListsRefused);
        byte[] fragment = Send(Request(ControlOpcode.ReadOrderedList, "", s_control))[0];
        (ControlHeader header, _) = Read(fragment);
        Assert.False(header.IsError);
        Assert.True(ControlMac.Verify(s_control, fragment, header.Count));
    }

    [Fact]
    public void Configure_ACopyOfAnAcceptedRequest_IsRefused()
    {
        byte[] request = Request(ControlOpcode.Configure, "server 192.0.2.7", s_control);
        Assert.Equal("Config Succeeded", Read(Assert.Single(Send(request))).Text);
        AssertError(Send(request), ControlErrorCode.Permission);
        Assert.Equal(["server 192.0.2.7"], _configurator.Texts);
        Assert.Equal(1, _engine.Control.WritesNotFresh);
    }

    private string Nonce(ClientAddress client)
    {
        (_, string text) = Read(Assert.Single(Send(Request(ControlOpcode.RequestNonce, "", null), client: client)));
        Assert.StartsWith("nonce=", text, StringComparison.Ordinal);
        return text["nonce=".Length..].TrimEnd('\r', '\n');
    }

    [Fact]
    public void Configure_WithAFreshNonceLine_IsCarriedOut_AndAStaleOrForeignOneRefused()
    {
        string nonce = Nonce(s_client);
        string fresh = ControlWriteNonce.WithNonce("server 192.0.2.7", nonce);
        Assert.Equal("Config Succeeded", Read(Assert.Single(Send(Request(ControlOpcode.Configure, fresh, s_control)))).Text);

        // Another port on the same host did not get that nonce.
        ClientAddress other = AccessTestConfig.Address("127.0.0.1", 40001);
        string foreign = ControlWriteNonce.WithNonce("server 192.0.2.8", nonce);
        AssertError(Send(Request(ControlOpcode.Configure, foreign, s_control), client: other), ControlErrorCode.Permission);

        // 17 s later the nonce is stale.
        string late = ControlWriteNonce.WithNonce("server 192.0.2.9", Nonce(s_client));
        _clock.Advance(17);
        AssertError(Send(Request(ControlOpcode.Configure, late, s_control)), ControlErrorCode.Permission);
        Assert.Equal([fresh], _configurator.Texts);
        Assert.Equal(2, _engine.Control.WritesNotFresh);
    }

    [Theory]
    [InlineData("server 192.0.2.7\n# nonce=abc", "abc")]
    [InlineData("server 192.0.2.7\n  # nonce= abc \r\n\0", "abc")]
    [InlineData("# nonce=abc\nserver 192.0.2.7", null)]
    [InlineData("server 192.0.2.7 # nonce=abc", null)]
    public void NonceLine_IsTheLastLineOnly(string text, string? expected)
    {
        bool found = ControlWriteNonce.TryFind(Encoding.ASCII.GetBytes(text), out ReadOnlySpan<byte> nonce);
        Assert.Equal(expected is not null, found);
        if (expected is not null)
        {
            Assert.Equal(expected, Encoding.ASCII.GetString(nonce));
        }
    }
}
