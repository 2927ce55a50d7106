/**
 * 256 short, distinct, easy-to-say words: one per byte of the journal head hash, so a witness code
 * read over a phone line carries 32 bits of the head and survives a bad connection.
 */
export const WITNESS_WORDS: readonly string[] = [
  'acid', 'acorn', 'actor', 'adobe', 'agent', 'alarm', 'album', 'alpha', 'amber', 'angle', 'apple', 'april', 'arena', 'armor', 'arrow', 'atlas',
  'attic', 'audio', 'autumn', 'badge', 'bagel', 'baker', 'bamboo', 'banjo', 'barrel', 'basil', 'beach', 'beaver', 'bench', 'berry', 'bison', 'blanket',
  'blossom', 'bonus', 'border', 'bottle', 'bounce', 'bread', 'brick', 'bridge', 'bronze', 'brush', 'bubble', 'bucket', 'buffalo', 'button', 'cabin', 'cactus',
  'camel', 'canal', 'candle', 'canyon', 'carbon', 'cargo', 'carpet', 'castle', 'cedar', 'cello', 'chalk', 'cherry', 'chess', 'chimney', 'cider', 'cinema',
  'circus', 'citrus', 'clock', 'cloud', 'clover', 'cobalt', 'cocoa', 'comet', 'copper', 'coral', 'cotton', 'crater', 'crayon', 'cricket', 'crystal', 'daisy',
  'dance', 'delta', 'denim', 'desert', 'diesel', 'disco', 'dolphin', 'domino', 'donkey', 'dragon', 'drum', 'dune', 'eagle', 'echo', 'eclipse', 'elbow',
  'elder', 'ember', 'emerald', 'engine', 'fabric', 'falcon', 'fennel', 'ferry', 'fiddle', 'fig', 'flint', 'flute', 'forest', 'fossil', 'fountain', 'fox',
  'frost', 'galaxy', 'garden', 'garlic', 'gazelle', 'gecko', 'ginger', 'glacier', 'globe', 'granite', 'grape', 'gravel', 'guitar', 'hammer', 'harbor', 'harp',
  'hazel', 'helmet', 'heron', 'honey', 'horizon', 'hornet', 'igloo', 'iguana', 'indigo', 'iris', 'island', 'ivory', 'jacket', 'jaguar', 'jasmine', 'jelly',
  'jockey', 'juniper', 'kayak', 'kettle', 'kiwi', 'koala', 'ladder', 'lagoon', 'lantern', 'laser', 'lemon', 'lentil', 'lilac', 'lime', 'linen', 'lizard',
  'lobster', 'lotus', 'magnet', 'mango', 'maple', 'marble', 'meadow', 'melon', 'meteor', 'mint', 'mosaic', 'muffin', 'mustard', 'nectar', 'needle', 'nickel',
  'noodle', 'oasis', 'ocean', 'olive', 'onion', 'opal', 'orbit', 'orchid', 'otter', 'oyster', 'paddle', 'panda', 'papaya', 'parrot', 'pasta', 'peach',
  'pebble', 'pepper', 'piano', 'pickle', 'pilot', 'pine', 'planet', 'plum', 'polar', 'potato', 'pumpkin', 'puzzle', 'quail', 'quartz', 'rabbit', 'radar',
  'radio', 'raisin', 'raven', 'reef', 'rhino', 'ribbon', 'river', 'robot', 'rocket', 'ruby', 'saddle', 'safari', 'salmon', 'satin', 'scarf', 'shadow',
  'silver', 'sketch', 'sparrow', 'spider', 'spruce', 'squid', 'statue', 'sunset', 'tango', 'teapot', 'tiger', 'timber', 'tomato', 'topaz', 'tractor', 'tulip',
  'turtle', 'valley', 'vanilla', 'velvet', 'violet', 'violin', 'volcano', 'walnut', 'walrus', 'willow', 'window', 'wizard', 'yacht', 'yogurt', 'zebra', 'zinc',
];
