// Reads a citation file with citation.js and prints what it understood, one JSON document on stdout:
//   node read.mjs bibtex|biblatex|ris|csl FILE [KEY,KEY,...]
// {"items": [CSL items], "warnings": [messages citation.js logged], "apa": {key: the entry as citation.js
// prints it in APA (plugin-csl's built-in template)} for the keys given}. The input type is forced, so
// citation.js never guesses that a string is a URL or DOI to fetch.
import { readFileSync } from 'node:fs'
import { Cite, logger } from '@citation-js/core'
import '@citation-js/plugin-bibtex'
import '@citation-js/plugin-ris'
import '@citation-js/plugin-csl'

const TYPES = { bibtex: '@bibtex/text', biblatex: '@biblatex/text', ris: '@ris/file', csl: '@csl/list+object' }
const [kind, file, keys] = process.argv.slice(2)
if (!(kind in TYPES) || !file) {
  console.error('usage: node read.mjs bibtex|biblatex|ris|csl FILE [KEY,KEY,...]')
  process.exit(2)
}
const warnings = []
for (const level of ['warn', 'error']) {
  console[level] = (...args) => warnings.push(args.map(String).join(' '))
}
logger.level = 'warn'
const text = readFileSync(file, 'utf8')
const input = kind === 'csl' ? JSON.parse(text) : text
const cite = new Cite(input, { forceType: TYPES[kind] })
const items = cite.data.map(({ _graph, ...item }) => item)
const apa = {}
for (const key of keys ? keys.split(',') : []) {
  const item = items.find(i => i.id === key)
  apa[key] = item
    ? new Cite([item], { forceType: '@csl/list+object' }).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }).trim()
    : '(not in the file)'
}
process.stdout.write(JSON.stringify({ items, warnings, apa }) + '\n')
