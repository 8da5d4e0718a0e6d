// XSS payloads for the browser suite, generated from families of vectors crossed with ways of
// running script, plus encodings, polyglots, template injections and the short restricted-set
// payloads that exploited the reference provider's search page. Each one that runs script
// either opens a dialog or sets window.__xss, so execution is seen either way.

/** Ways to run script: a dialog, or the global marker that the suite reads after each page. */
const actions = ['alert(1)', 'window.__xss=1', 'confirm`1`', 'prompt(1)'];

/** Vectors with JS where the script goes: tags, handlers, URLs, SVG, attribute and tag breakouts. */
const vectors = [
  '<script>JS</script>',
  '<ScRiPt>JS</sCrIpT>',
  '<script src="data:text/javascript,JS"></script>',
  '<img src=x onerror=JS>',
  '<img src="x" onerror="JS">',
  '<IMG SRC=x OnErRoR=JS>',
  '<svg onload=JS>',
  '<svg/onload=JS>',
  '<body onload=JS>',
  '<iframe src="javascript:JS"></iframe>',
  '<iframe srcdoc="<script>JS</script>"></iframe>',
  '<a href="javascript:JS">click</a>',
  '<a href="JaVaScRiPt:JS">click</a>',
  '<a href=" &#14; javascript:JS">click</a>',
  '<details open ontoggle=JS>',
  '<input autofocus onfocus=JS>',
  '<video><source onerror=JS></video>',
  '<audio src=x onerror=JS>',
  '<math><mi xlink:href="javascript:JS">x</mi></math>',
  '<svg><script>JS</script></svg>',
  '<svg><animate onbegin=JS attributeName=x dur=1s>',
  '<svg><a xlink:href="javascript:JS"><text x=20 y=20>x</text></a></svg>',
  '<object data="javascript:JS"></object>',
  '<embed src="javascript:JS">',
  '<form><button formaction="javascript:JS">x</button></form>',
  '<marquee onstart=JS>',
  '<style onload=JS></style>',
  '<link rel=stylesheet href=x onerror=JS>',
  '<meta http-equiv="refresh" content="0;url=javascript:JS">',
  '<div style="background:url(javascript:JS)">x</div>',
  '" onmouseover="JS" x="',
  '"><img src=x onerror=JS>',
  '" autofocus onfocus="JS" x="',
  "' autofocus onfocus='JS' x='",
  "'><svg onload=JS>",
  '"autofocus/onfocus=JS//',
  '</title><script>JS</script>',
  '</textarea><script>JS</script>',
  '</q><svg onload=JS>',
  '</code><img src=x onerror=JS>',
  '--><svg onload=JS>',
  ']]><svg onload=JS>',
  '</script><script>JS</script>',
  '<noscript><p title="</noscript><img src=x onerror=JS>">',
];

/** A few vectors with every action; the rest with the first two, to keep the count useful. */
const crossed = vectors.flatMap((v, i) =>
  (i < 8 ? actions : actions.slice(0, 2)).map((js) => v.replaceAll('JS', js)),
);

/** Encodings: entities, URL and double URL encoding, UTF-7, unicode escapes, null bytes. */
const encoded = [
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '&#x3C;img src=x onerror=alert(1)&#x3E;',
  '&#0000060;svg onload=alert(1)&#0000062;',
  '<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%3Csvg%2Fonload%3Dalert(1)%3E',
  '%253Cscript%253Ealert(1)%253C%252Fscript%253E',
  '%25253Csvg%25252Fonload%25253Dalert(1)%25253E',
  '+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
  '+ADw-svg onload+AD0-alert(1)+AD4-',
  '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
  '\\x3csvg onload=alert(1)\\x3e',
  '\u003cscript\u003ewindow.__xss=1\u003c/script\u003e',
  '<scr\u0000ipt>alert(1)</scr\u0000ipt>',
  '<img src=x onerror\u0000=alert(1)>',
  '\u0000"><svg onload=alert(1)>',
  '<img src=x o\u0000nerror=alert(1)>',
  '\uFF1Cscript\uFF1Ealert(1)\uFF1C/script\uFF1E',
  '\u02BAonmouseover=alert(1)\u02BA',
  '<svg\tonload=alert(1)>',
  '<svg\nonload=alert(1)>',
  '<svg\r\nonload=alert(1)>',
  '<svg\fonload=alert(1)>',
  '<img src=x onerror="\\u0061lert(1)">',
  '<img src=x onerror=eval(atob`YWxlcnQoMSk=`)>',
  '<script>eval(String.fromCharCode(97,108,101,114,116,40,49,41))</script>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
];

const polyglots = [
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
  '\'"-->]]></title></style></textarea></script><svg onload=alert(1)>',
  '"\'><img src=x onerror=alert(1)>`"\'><svg onload=window.__xss=1>',
  '\';alert(String.fromCharCode(88,83,83))//";alert(1)//--></SCRIPT>">\'><SCRIPT>alert(1)</SCRIPT>',
  '</script></style></title></textarea></noscript></template><svg/onload=alert(1)>',
  '-->\'"/></sCript><deTailS open x=">" ontoggle=(co\\u006efirm)``>',
  '<svg/onload=alert(1)//"\'--></title></textarea></q><img src=x onerror=window.__xss=1>',
];

/** Server- and client-side template syntax: must show literally, never 49 or a dialog. */
const templates = [
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '#{7*7}',
  '[[${7*7}]]',
  '@{7*7}',
  '{{constructor.constructor("alert(1)")()}}',
  '{{$on.constructor("alert(1)")()}}',
  '${alert(1)}',
  '`${alert(1)}`',
  '{{= alert(1) }}',
  '<%- "<script>alert(1)</script>" %>',
];

/** Short payloads from a restricted character set, like the one that hit the reference page. */
const short = [
  '<svg/onload=alert``>',
  '"><b>',
  "'-alert(1)-'",
  "'-alert``-'",
  '";alert(1)//',
  '<b>',
  '<i>x',
  '"/><b/',
  '<x onclick=alert``>',
  '<a/href=javascript:alert``>x',
  '"><svg/onload=alert``>',
  "'><svg/onload=alert``>",
  '<svg onload=alert``>',
  '<img/src/onerror=alert``>',
  '</q><b>',
  '</title><b>',
];

/** Only <>=/"' and letters: every breakout prefix with every injected tag. */
const restrictedPrefixes = ['', '"', "'", '">', "'>", '"/>', '/>'];
const restrictedTags = [
  '<b>',
  '<x/onload=alert>',
  '<svg/onload=alert>',
  '<img/src/onerror=alert>',
  '<body/onload=alert>',
  '<q/oncut=alert>',
  '<a/href=javascript/onclick=alert>',
];
const restricted = restrictedPrefixes.flatMap((p) => restrictedTags.map((tag) => p + tag));

/**
 * Payloads that are valid email addresses (no space, quote, angle bracket, bracket, colon or
 * comma in them), so the address field stores them and every page that shows an address is
 * tried too.
 */
export const emailPayloads = [
  "x'autofocus/onfocus='alert`1`'@xss.example",
  "'-alert`1`-'@xss.example",
  "x'/onmouseover='window.__xss=1'@xss.example",
  'x/onmouseover=alert`1`@xss.example',
  '&ltsvg/onload=alert`1`&gt@xss.example',
  '&#60script&#62alert`1`&#60/script&#62@xss.example',
  '%3Cscript%3Ealert%601%60%3C/script%3E@xss.example',
  '%253Csvg/onload=alert%25601%2560%253E@xss.example',
  '+ADw-script+AD4-alert`1`@xss.example',
  '{{7*7}}@xss.example',
  '${7*7}@xss.example',
  '#{7*7}@xss.example',
  'javascript%3Aalert%601%60@xss.example',
  "'/autofocus/onfocus=alert`1`//@xss.example",
  '&quot&gt&ltb&gt@xss.example',
  "x=''onfocus=alert`1`@xss.example",
  '{{constructor.constructor`alert`}}@xss.example',
  '%u003cscript%u003e@xss.example',
  'x@xss.example/onload=alert`1`',
  "x@'autofocus/onfocus='alert`1`.xss.example",
];

/** Every payload, distinct. */
export const payloads: string[] = [
  ...new Set([
    ...crossed,
    ...encoded,
    ...polyglots,
    ...templates,
    ...short,
    ...restricted,
    ...emailPayloads,
  ]),
];
