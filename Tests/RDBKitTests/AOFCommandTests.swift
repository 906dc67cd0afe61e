import Testing
@testable import RDBKit

@Suite struct AOFCommandTests {
    func command(_ args: String...) -> AOFCommand {
        AOFCommand(arguments: ByteList(args.map { Array($0.utf8) }), file: "f", offset: 0, byteCount: 0, db: 0,
                   timeSeconds: nil, index: 0)
    }

    @Test func namesMatchIgnoringCase() {
        #expect(command("set", "k", "v").isNamed("SET"))
        #expect(command("Set", "k", "v").isNamed("SET"))
        #expect(!command("SETEX", "k", "1", "v").isNamed("SET"))
        #expect(command("zpopmin", "z").upperName == Array("ZPOPMIN".utf8))
    }

    @Test func mostWriteCommandsTakeTheirKeyFirst() {
        #expect(command("SET", "k", "v").firstKey.map(Array.init) == Array("k".utf8))
        #expect(command("PEXPIREAT", "k", "1").firstKeyIndex == 1)
        #expect(command("ZUNIONSTORE", "dst", "2", "a", "b").firstKeyIndex == 1)
    }

    @Test func keylessCommandsHaveNoKey() {
        for c in [command("SELECT", "1"), command("MULTI"), command("EXEC"), command("FLUSHALL"),
                  command("FUNCTION", "LOAD", "code"), command("SWAPDB", "0", "1")] {
            #expect(c.firstKeyIndex == nil)
        }
    }

    @Test func subcommandsAndNumkeysFormsFindTheKeyLater() {
        #expect(command("XGROUP", "CREATE", "stream", "g", "$").firstKeyIndex == 2)
        #expect(command("BITOP", "AND", "dst", "a", "b").firstKeyIndex == 2)
        #expect(command("EVAL", "return 1", "1", "k").firstKeyIndex == 3)
        #expect(command("EVAL", "return 1", "0").firstKeyIndex == nil)
    }

    @Test func numberArgumentsAreCanonicalDecimals() {
        let c = command("SELECT", "15")
        #expect(c.numberArgument(1) == 15)
        #expect(command("SELECT", "x").numberArgument(1) == nil)
        #expect(command("SELECT", "015").numberArgument(1) == nil)
        #expect(c.numberArgument(2) == nil)
    }
}
